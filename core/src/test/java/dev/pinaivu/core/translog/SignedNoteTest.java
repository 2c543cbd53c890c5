package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.NoteKeys.seededKey;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.Ed25519;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {
  // Known answer from the documentation of Go's golang.org/x/mod/sumdb/note, an independent
  // implementation of the same format: keys, text and the note it signs.
  private static final String PETER_VERIFIER_KEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String PETER_SEED_WITH_TYPE = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  private static final String PETER_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  private static final String PETER_NOTE =
      PETER_TEXT
          + "\n"
          + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  private static final NoteSigner ALICE = new NoteSigner("alice.example/key", seededKey(7));
  private static final NoteSigner BOB = new NoteSigner("bob.example/key", seededKey(8));

  @Test
  void keyId_ofTheGoExampleKey_isTheOneInItsVerifierKey() {
    NoteVerifier peter = NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY);
    assertThat(peter.keyId()).isEqualTo(0xc74f20a3);
    assertThat(peter.verifierKey()).isEqualTo(PETER_VERIFIER_KEY);
  }

  @Test
  void sign_withTheGoExampleKey_reproducesTheGoNoteByteForByte() {
    NoteSigner peter = new NoteSigner("PeterNeumann", peterKey());
    assertThat(peter.verifier()).isEqualTo(NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY));
    assertThat(SignedNote.sign(PETER_TEXT, peter).format()).isEqualTo(PETER_NOTE);
  }

  @Test
  void verify_theGoExampleNote_accepts() {
    SignedNote note = SignedNote.parse(PETER_NOTE.getBytes(UTF_8));
    assertThat(note.text()).isEqualTo(PETER_TEXT);
    assertThat(NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY).verify(note).accepted()).isTrue();
  }

  @Test
  void verify_whenTheTextWasEdited_rejects() {
    SignedNote note = SignedNote.parse(PETER_NOTE.replace("cryptography", "cryptographY"));
    Verdict verdict = NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY).verify(note);
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).isEqualTo("the signature by PeterNeumann does not verify");
  }

  @Test
  void parse_thenFormat_roundTripsEveryByte() {
    String note = SignedNote.sign("two\n\nparagraphs\n", ALICE).withSignature(BOB).format();
    SignedNote parsed = SignedNote.parse(note);
    assertThat(parsed.text()).isEqualTo("two\n\nparagraphs\n");
    assertThat(parsed.signatures()).hasSize(2);
    assertThat(parsed.format()).isEqualTo(note);
  }

  @Test
  void verify_ignoresSignaturesByOtherKeys() {
    SignedNote note = SignedNote.sign("hello\n", BOB).withSignature(ALICE);
    assertThat(ALICE.verifier().verify(note).accepted()).isTrue();
    assertThat(BOB.verifier().verify(note).accepted()).isTrue();
  }

  @Test
  void verify_withoutASignatureByTheKey_rejects() {
    Verdict verdict = ALICE.verifier().verify(SignedNote.sign("hello\n", BOB));
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).startsWith("the note has no signature by alice.example/key");
  }

  @Test
  void verify_whenAnotherKeyUsesTheSameName_ignoresItsSignature() {
    NoteSigner impostor = new NoteSigner(ALICE.keyName(), seededKey(9));
    Verdict verdict = ALICE.verifier().verify(SignedNote.sign("hello\n", impostor));
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains("no signature by alice.example/key");
  }

  @Test
  void verify_whenOneOfTwoSignaturesByTheKeyFails_rejectsTheWholeNote() {
    NoteSignature good = ALICE.sign("hello\n");
    NoteSignature bad = new NoteSignature(good.keyName(), good.keyId(), new byte[64]);
    Verdict verdict = ALICE.verifier().verify(new SignedNote("hello\n", List.of(good, bad)));
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains("does not verify");
  }

  @Test
  void parse_acceptsSixteenSignatures() {
    SignedNote note = SignedNote.sign("hello\n", ALICE);
    for (int i = 1; i < 16; i++) {
      note = note.withSignature(new NoteSigner("witness" + i + ".example", seededKey(20 + i)));
    }
    assertThat(SignedNote.parse(note.format()).signatures()).hasSize(16);
  }

  @Test
  void parse_malformedNotes_rejectsEachWithItsReason() {
    String line = ALICE.sign("hello\n").line();
    assertMalformed("hello\n" + line + "\n", "blank line");
    assertMalformed("hello\n\n", "at least one signature");
    assertMalformed("hello\n\n" + line, "ends with a newline");
    assertMalformed("hello\n\n" + line.replace('\u2014', '-') + "\n", "em dash");
    assertMalformed("hello\n\n" + line.replace(" ", "  ") + "\n", "<key name> <base64>");
    assertMalformed("hello\n\n" + line.replace("alice.", "al+ice.") + "\n", "plus sign");
    assertMalformed("hello\n\n" + line.replace("=", "") + "\n", "canonical base64");
    assertMalformed("hello\n\n\u2014 alice.example/key !!!!\n", "not base64");
    assertMalformed("hello\n\n\u2014 alice.example/key AAAAAA==\n", "no bytes after its id");
    assertMalformed("hel\rlo\n\n" + line + "\n", "control character U+000D");
    assertMalformed("hel\tlo\n\n" + line + "\n", "control character U+0009");
  }

  @Test
  void parse_invalidUtf8_rejects() {
    byte[] note = ("h\u00e9llo\n\n" + ALICE.sign("h\u00e9llo\n").line() + "\n").getBytes(UTF_8);
    note[1] = (byte) 0xc3;
    note[2] = (byte) 0x28;
    assertThatThrownBy(() -> SignedNote.parse(note))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void parse_tooManySignatures_rejects() {
    String line = ALICE.sign("hello\n").line() + "\n";
    String note = "hello\n\n" + line.repeat(SignedNote.MAX_SIGNATURES + 1);
    assertMalformed(note, "at most " + SignedNote.MAX_SIGNATURES + " signatures");
  }

  @Test
  void sign_aTextWithoutFinalNewline_fails() {
    assertThatThrownBy(() -> ALICE.sign("hello"))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining("ends with a newline");
  }

  @Test
  void keyNames_withSpacesOrPlus_areRefused() {
    byte[] publicKey = ALICE.verifier().publicKey();
    for (String name : List.of("", "a b", "a+b", "a\u00a0b", "a\nb")) {
      assertThatThrownBy(() -> new NoteVerifier(name, publicKey))
          .as("key name %s", name)
          .isInstanceOf(InvalidNoteException.class);
    }
  }

  @Test
  void fromVerifierKey_whenTheIdDoesNotMatch_fails() {
    assertThatThrownBy(
            () -> NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY.replace("c74f20a3", "c74f20a4")))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void toString_showsNoSignatureOrKeyBytes() {
    NoteSignature signature = ALICE.sign("hello\n");
    String encoded = Base64.getEncoder().encodeToString(signature.signature());
    assertThat(signature.toString()).doesNotContain(encoded.substring(0, 8)).contains("redacted");
    assertThat(ALICE.toString()).contains("redacted");
  }

  private static Ed25519.PrivateKey peterKey() {
    byte[] typed = Base64.getDecoder().decode(PETER_SEED_WITH_TYPE);
    assertThat(typed[0]).isEqualTo((byte) 0x01);
    return Ed25519.PrivateKey.fromSeed(Arrays.copyOfRange(typed, 1, typed.length));
  }

  private static void assertMalformed(String note, String reason) {
    assertThatThrownBy(() -> SignedNote.parse(note))
        .as(note)
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining(reason);
  }
}
