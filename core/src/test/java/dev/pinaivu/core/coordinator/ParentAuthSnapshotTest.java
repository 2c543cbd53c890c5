package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.id.SnapshotCopies;
import org.junit.jupiter.api.Test;

/** Restored copies of one SnapStart snapshot must not offer the coordinator the same nonce. */
class ParentAuthSnapshotTest {
  @Test
  void copiesOfTheNonceGenerator_drawDifferentNonces() throws Exception {
    assertThat(ParentAuth.RANDOM.getAlgorithm()).isEqualTo("NativePRNG");

    byte[][] nonces = SnapshotCopies.firstDraws(ParentAuth.RANDOM, ParentAuth.NONCE_BYTES);

    assertThat(nonces[0]).isNotEqualTo(nonces[1]);
  }
}
