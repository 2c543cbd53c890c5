package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.NoteKeys.ORIGIN;
import static dev.pinaivu.core.translog.NoteKeys.logSigner;
import static dev.pinaivu.core.translog.NoteKeys.seededKey;
import static dev.pinaivu.core.translog.TreeFixtures.RFC6962_LEAVES;
import static dev.pinaivu.core.translog.TreeFixtures.treeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckpointVerifierTest {
  private static final NoteSigner LOG = logSigner();
  private static final CheckpointVerifier VERIFIER = new CheckpointVerifier(ORIGIN, LOG.verifier());
  private static final Checkpoint CHECKPOINT =
      new Checkpoint(ORIGIN, 8, treeOf(RFC6962_LEAVES).root());

  /** The worked example of docs/transparency-log.md: the log key's seed is 32 bytes of 0x01. */
  private static final String WORKED_EXAMPLE =
      """
      log.pinaivu.dev/receipts
      8
      XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=

      \u2014 log.pinaivu.dev/receipts y29VDiZl+VJtZ6rRZ0UymKDV2KuCcO5RgfJTbr4kenlMr9EidEEU7VLDScVltWqLzr0dnzDbzeo87LolTXhAz7LYzwA=
      """;

  @Test
  void sign_theWorkedExample_givesTheDocumentedNote() {
    assertThat(SignedCheckpoint.sign(CHECKPOINT, LOG).format()).isEqualTo(WORKED_EXAMPLE);
  }

  @Test
  void verifierKey_ofTheWorkedExample_isTheDocumentedOne() {
    assertThat(LOG.verifier().verifierKey())
        .isEqualTo(
            "log.pinaivu.dev/receipts+cb6f550e+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c");
  }

  @Test
  void verify_aSignedCheckpoint_returnsIt() {
    assertThat(VERIFIER.verify(SignedCheckpoint.sign(CHECKPOINT, LOG).format()))
        .isEqualTo(CHECKPOINT);
    assertThat(VERIFIER.verify(WORKED_EXAMPLE)).isEqualTo(CHECKPOINT);
  }

  @Test
  void verify_whenTheSizeWasChanged_refuses() {
    assertRefused(WORKED_EXAMPLE.replace("\n8\n", "\n9\n"), "does not verify");
  }

  @Test
  void verify_whenTheRootWasChanged_refuses() {
    assertRefused(WORKED_EXAMPLE.replace("XcnaeacG", "XcnaeacH"), "does not verify");
  }

  @Test
  void verify_whenTheOriginWasChanged_refuses() {
    assertRefused(
        WORKED_EXAMPLE.replaceFirst("log.pinaivu.dev/receipts\n", "log.evil.example/receipts\n"),
        "does not verify");
  }

  @Test
  void verify_whenSignedByAnotherKey_refuses() {
    NoteSigner other = new NoteSigner(ORIGIN, seededKey(2));
    assertRefused(
        SignedCheckpoint.sign(CHECKPOINT, other).format(),
        "no signature by log.pinaivu.dev/receipts");
  }

  @Test
  void verify_whenTheLogKeySignedAnotherOrigin_refuses() {
    Checkpoint elsewhere = new Checkpoint("log.pinaivu.dev/staging", 8, CHECKPOINT.rootHash());
    assertRefused(
        SignedCheckpoint.sign(elsewhere, LOG).format(),
        "is for origin \"log.pinaivu.dev/staging\"");
  }

  @Test
  void verify_aSignedNoteThatIsNoCheckpoint_refuses() {
    assertRefused(SignedNote.sign("hello\n", LOG).format(), "an origin, a size and a root hash");
  }

  @Test
  void verify_aCosignedCheckpoint_acceptsForLogAndWitness() {
    NoteSigner witness = new NoteSigner("witness.example/w1", seededKey(3));
    String cosigned = SignedCheckpoint.sign(CHECKPOINT, LOG).note().withSignature(witness).format();
    assertThat(VERIFIER.verify(cosigned)).isEqualTo(CHECKPOINT);
    assertThat(new CheckpointVerifier(ORIGIN, witness.verifier()).verify(cosigned))
        .isEqualTo(CHECKPOINT);
  }

  @Test
  void parseUnverified_roundTripsTheStoredForm() {
    SignedCheckpoint signed = SignedCheckpoint.sign(CHECKPOINT, LOG);
    assertThat(SignedCheckpoint.parseUnverified(signed.format())).isEqualTo(signed);
  }

  private static void assertRefused(String note, String reason) {
    assertThatThrownBy(() -> VERIFIER.verify(note))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining(reason);
  }
}
