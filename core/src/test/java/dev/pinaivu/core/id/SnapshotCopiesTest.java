package dev.pinaivu.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Two environments restored from one SnapStart snapshot must not draw the same request ids (ADR
 * 26). The sceptic's control first: a copied seeded SHA1PRNG repeats itself, so the method can
 * tell.
 */
class SnapshotCopiesTest {
  @Test
  void copiesOfASeededSha1Prng_drawTheSameBytes() throws Exception {
    SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
    seeded.setSeed(42);

    byte[][] draws = SnapshotCopies.firstDraws(seeded, 10);

    assertThat(draws[0]).isEqualTo(draws[1]);
  }

  @Test
  void copiesOfTheRequestIdGenerator_drawDifferentBytes() throws Exception {
    assertThat(Ulid.RANDOM.getAlgorithm()).isEqualTo("NativePRNG"); // reads /dev/urandom each draw

    byte[][] draws = SnapshotCopies.firstDraws(Ulid.RANDOM, 10); // a ULID's 80 random bits

    assertThat(draws[0]).isNotEqualTo(draws[1]);
  }
}
