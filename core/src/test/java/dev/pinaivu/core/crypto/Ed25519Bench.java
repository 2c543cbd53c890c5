package dev.pinaivu.core.crypto;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A repeatable single-thread micro-measurement of Ed25519 (not a test): the JDK's provider against
 * BouncyCastle's lightweight API as {@link Ed25519} uses it, with the public key parsed per call
 * and parsed once. Run with {@code java -cp core/target/classes:core/target/test-classes:<bcprov>
 * dev.pinaivu.core.crypto.Ed25519Bench}; it prints µs per operation, best of five rounds.
 */
public final class Ed25519Bench {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] X509_PREFIX = HEX.parseHex("302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX = HEX.parseHex("302e020100300506032b657004220420");

  private interface Op {
    boolean run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    Ed25519.PrivateKey key = Ed25519.PrivateKey.fromSeed(new byte[32]);
    byte[] pub = key.publicKey();
    byte[] message = new byte[600]; // about a proof's canonical JSON
    byte[] sig = key.sign(message);

    KeyFactory kf = KeyFactory.getInstance("Ed25519");
    PublicKey jdkPub = kf.generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, pub)));
    java.security.PrivateKey jdkPriv =
        kf.generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, key.seed())));
    Ed25519PublicKeyParameters parsed = new Ed25519PublicKeyParameters(pub, 0);
    Ed25519PrivateKeyParameters bcPriv = new Ed25519PrivateKeyParameters(key.seed(), 0);

    measure(
        "JDK verify",
        n,
        () -> {
          Signature s = Signature.getInstance("Ed25519");
          s.initVerify(jdkPub);
          s.update(message);
          return s.verify(sig);
        });
    measure(
        "BC Ed25519Signer verify, key parsed per call (before)",
        n,
        () -> {
          Ed25519Signer s = new Ed25519Signer();
          s.init(false, new Ed25519PublicKeyParameters(pub, 0));
          s.update(message, 0, message.length);
          return s.verifySignature(sig);
        });
    measure(
        "BC Ed25519Signer verify, key parsed once",
        n,
        () -> {
          Ed25519Signer s = new Ed25519Signer();
          s.init(false, parsed);
          s.update(message, 0, message.length);
          return s.verifySignature(sig);
        });
    measure(
        "Ed25519.verify (key kept, no buffer copy: now)",
        n,
        () -> Ed25519.verify(pub, message, sig));
    measure("BC parse public key only", n, () -> new Ed25519PublicKeyParameters(pub, 0) != null);
    measure(
        "JDK sign",
        n,
        () -> {
          Signature s = Signature.getInstance("Ed25519");
          s.initSign(jdkPriv);
          s.update(message);
          return s.sign().length == 64;
        });
    measure(
        "Ed25519.PrivateKey.sign (public key passed: now)",
        n,
        () -> key.sign(message).length == 64);
    measure(
        "BC sign, key from seed per call",
        n,
        () -> {
          Ed25519Signer s = new Ed25519Signer();
          s.init(true, new Ed25519PrivateKeyParameters(key.seed(), 0));
          s.update(message, 0, message.length);
          return s.generateSignature().length == 64;
        });
    measure(
        "BC Ed25519Signer sign, params reused (before)",
        n,
        () -> {
          Ed25519Signer s = new Ed25519Signer();
          s.init(true, bcPriv);
          s.update(message, 0, message.length);
          return s.generateSignature().length == 64;
        });
  }

  private static void measure(String what, int n, Op op) throws Exception {
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (!op.run()) {
          throw new IllegalStateException(what + " failed");
        }
      }
      best = Math.min(best, (System.nanoTime() - start) / 1000.0 / n);
    }
    System.out.printf(Locale.ROOT, "%-50s %8.1f µs%n", what, best);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
