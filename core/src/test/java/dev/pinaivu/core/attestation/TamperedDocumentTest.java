package dev.pinaivu.core.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.attestation.NitroSamples.Sample;
import dev.pinaivu.core.attestation.Verification.Check;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any change to a real document must be refused with a reason, never an exception. Every flip that
 * gets past parsing costs an ES384 verification (about 3 ms here), so by default the flips cover
 * every byte except the contents of the payload's byte strings (PCRs, certificates, keys, nonce),
 * where they take every 32nd byte and the last; the signature is flipped byte by byte. Run with
 * {@code -Dattestation.exhaustive=true} to flip every byte of every sample (about 30 s on two
 * cores).
 */
class TamperedDocumentTest {
  private static final AttestationVerifier VERIFIER = new AttestationVerifier();
  private static final VerifyOptions DEBUG_OK = VerifyOptions.DEFAULTS.allowingDebug();
  private static final int STRIDE_IN_CONTENT = 32;

  static Iterable<Sample> allSamples() {
    return NitroSamples.all();
  }

  @ParameterizedTest
  @MethodSource("allSamples")
  void verify_whenAnyByteFlipped_refuses(Sample sample) throws Exception {
    byte[] original = sample.bytes();
    List<int[]> contents = byteStringContents(original);
    int[] sampled =
        IntStream.range(0, original.length).filter(at -> sampled(at, contents)).toArray();

    assertThat(sampled.length).isGreaterThan(400);
    assertThat(problemsWhenFlipped(original, sampled, 0xff)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("allSamples")
  void verify_whenLowBitOfAnyStructureByteFlipped_refuses(Sample sample) throws Exception {
    byte[] original = sample.bytes();
    List<int[]> contents = byteStringContents(original);
    int signatureStart = original.length - Es384.SIGNATURE_BYTES;
    int[] structure =
        IntStream.range(0, signatureStart).filter(at -> inside(at, contents) == null).toArray();

    assertThat(structure.length).isGreaterThan(150);
    assertThat(problemsWhenFlipped(original, structure, 0x01)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("allSamples")
  @EnabledIfSystemProperty(named = "attestation.exhaustive", matches = "true")
  void verify_whenEveryByteFlippedInTurn_refusesEach(Sample sample) {
    byte[] original = sample.bytes();
    int[] positions = IntStream.range(0, original.length).toArray();

    assertThat(problemsWhenFlipped(original, positions, 0xff)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("allSamples")
  void verify_whenTruncatedAtAnyLength_refusesAsMalformed(Sample sample) {
    byte[] original = sample.bytes();

    for (int length = 0; length < original.length; length++) {
      Verification result = VERIFIER.verify(Arrays.copyOf(original, length), DEBUG_OK);
      assertThat(result.valid()).as("truncated to %d bytes", length).isFalse();
      assertThat(((Verification.Refused) result).failed()).isEqualTo(Check.FORMAT);
    }
  }

  /** What went wrong for each position whose flipped document was not refused with a reason. */
  private static List<String> problemsWhenFlipped(byte[] original, int[] positions, int mask) {
    assertThat(VERIFIER.verify(original, DEBUG_OK).valid()).isTrue();
    return Arrays.stream(positions)
        .parallel()
        .mapToObj(position -> problemWhenFlipped(original, position, mask))
        .filter(Objects::nonNull)
        .toList();
  }

  private static String problemWhenFlipped(byte[] original, int position, int mask) {
    byte[] tampered = original.clone();
    tampered[position] ^= (byte) mask;
    try {
      Verification result = VERIFIER.verify(tampered, DEBUG_OK);
      if (result.valid() || result.reason().isBlank()) {
        return "byte " + position + " ^ " + mask + ": accepted";
      }
      return null;
    } catch (RuntimeException e) {
      return "byte " + position + " ^ " + mask + ": threw " + e;
    }
  }

  private static boolean sampled(int position, List<int[]> contents) {
    int[] content = inside(position, contents);
    return content == null
        || (position - content[0]) % STRIDE_IN_CONTENT == 0
        || position == content[1] - 1;
  }

  private static int[] inside(int position, List<int[]> contents) {
    for (int[] content : contents) {
      if (position >= content[0] && position < content[1]) {
        return content;
      }
    }
    return null;
  }

  /**
   * [start, end) of each payload byte string's contents within the document, found by searching for
   * the values in the order the NSM writes them.
   */
  private static List<int[]> byteStringContents(byte[] document) throws Exception {
    AttestationDocument parsed = AttestationDocument.parse(document);
    List<byte[]> values = new ArrayList<>(parsed.pcrs().values());
    values.add(parsed.certificate());
    values.addAll(parsed.cabundle());
    for (byte[] optional : new byte[][] {parsed.publicKey(), parsed.userData(), parsed.nonce()}) {
      if (optional != null) {
        values.add(optional);
      }
    }
    List<int[]> contents = new ArrayList<>();
    int from = 0;
    for (byte[] value : values) {
      int start = indexOf(document, value, from);
      assertThat(start).as("byte string not found after %d", from).isNotNegative();
      from = start + value.length;
      contents.add(new int[] {start, from});
    }
    return contents;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    for (int i = from; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
