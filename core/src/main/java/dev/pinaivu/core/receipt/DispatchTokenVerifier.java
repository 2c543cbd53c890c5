package dev.pinaivu.core.receipt;

import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.protocol.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;

/**
 * The node's gate: a job runs only with a dispatch token that a trusted coordinator key signed for
 * this node, this request (the exact bytes), this model, and that has not expired. Clocks may
 * disagree by up to {@link #CLOCK_SKEW_MS} either way.
 */
public final class DispatchTokenVerifier {
  /** How far the node's clock may be from the coordinator's. */
  public static final long CLOCK_SKEW_MS = 30_000;

  private final TrustedKeys keys;
  private final NodeId me;
  private final Clock clock;

  public DispatchTokenVerifier(TrustedKeys keys, NodeId me, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.me = Objects.requireNonNull(me, "me");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks a job frame. Its {@code request} is the client's body exactly as sent, so its UTF-8
   * bytes are what the token's {@code request_sha256} must name; what runs is what was hashed.
   */
  public Verification<DispatchToken> verify(Frame.Job job) {
    return verify(
        job.dispatchToken(),
        job.jobId(),
        job.model(),
        job.request().getBytes(StandardCharsets.UTF_8));
  }

  /** Checks a token for the job {@code jobId} of {@code model} over {@code requestBytes}. */
  public Verification<DispatchToken> verify(
      String wire, String jobId, String model, byte[] requestBytes) {
    Verification<SignedDispatchToken> read = SignedDispatchToken.read(wire, keys);
    if (!read.valid()) {
      return read.failure("");
    }
    return check(read.value().token(), jobId, model, requestBytes);
  }

  private Verification<DispatchToken> check(
      DispatchToken token, String jobId, String model, byte[] requestBytes) {
    long now = clock.millis();
    if (!token.nodeId().equals(me)) {
      return Verification.invalid(
          "dispatch token is for node " + token.nodeId() + ", not this node " + me);
    }
    if (!token.requestId().value().equals(jobId)) {
      return Verification.invalid(
          "dispatch token is for request " + token.requestId() + ", not job " + jobId);
    }
    if (!token.model().equals(model)) {
      return Verification.invalid(
          "dispatch token is for model " + token.model() + ", not " + model);
    }
    if (now > token.expiresAtMs() + CLOCK_SKEW_MS) {
      return Verification.invalid(
          "dispatch token expired at " + token.expiresAtMs() + " (now " + now + ")");
    }
    if (token.issuedAtMs() > now + CLOCK_SKEW_MS) {
      return Verification.invalid(
          "dispatch token is issued in the future (" + token.issuedAtMs() + ", now " + now + ")");
    }
    if (requestBytes == null || !Sha256.hex(requestBytes).equals(token.requestSha256())) {
      return Verification.invalid("request_sha256 does not match the SHA-256 of the request bytes");
    }
    return Verification.valid(token);
  }
}
