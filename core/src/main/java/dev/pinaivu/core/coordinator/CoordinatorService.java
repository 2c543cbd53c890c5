package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.receipt.ReceiptSigner;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.NoteSigner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordinator itself: the one holder of the key that signs dispatch tokens and receipts. The
 * key is generated when the service boots (or, in an enclave with a sealed identity, handed over
 * once at boot) and never leaves this object (no getter, redacted in {@code toString}); only its
 * public half goes to the {@link Attestor}. The same class runs in the Nitro Enclave and, with
 * {@link Attestor#DEV}, as the local dev-mode coordinator.
 *
 * <p>Settling is idempotent: a retried settle of a request returns the receipt signed the first
 * time, byte for byte, while it is among the last {@link CoordinatorOptions#settledCapacity()}
 * receipts. The same request with other evidence is refused: one request, one receipt.
 *
 * <p>Every receipt it signs is appended to the transparency log ({@link CoordinatorLog}) before it
 * is returned, with its leaf index in the unsigned {@code log} member; the same key signs the log's
 * checkpoints, under the log's origin as key name.
 */
public final class CoordinatorService implements Coordinator {
  /** Entry bytes per checkpoint answer: base64url makes ~700 KiB, within a 1 MiB frame. */
  static final int LOG_PAGE_BYTES = 512 * 1024;

  private final Ed25519.PrivateKey key;
  private final CoordinatorKey identity;
  private final CoordinatorOptions options;
  private final ReceiptSigner signer;
  private final Settlement settlement;
  private final SettledReceipts settled;
  private final CoordinatorLog log;

  private CoordinatorService(
      Ed25519.PrivateKey key, CoordinatorKey identity, CoordinatorOptions options) {
    if (!identity.keyId().equals(CoordinatorKey.keyIdOf(key.publicKey()))) {
      throw new IllegalArgumentException("the attestor described another key");
    }
    this.key = key;
    this.identity = identity;
    this.options = options;
    this.signer = new ReceiptSigner(key);
    this.settlement = new Settlement(options.fees(), options.clock());
    this.settled = new SettledReceipts(options.settledCapacity());
    this.log =
        new CoordinatorLog(
            options.logOrigin(),
            new NoteSigner(options.logOrigin(), key),
            identity,
            options.logCapacity(),
            LOG_PAGE_BYTES,
            options.succession());
  }

  /** Generates a new key and has {@code attestor} describe its public half. */
  public static CoordinatorService boot(Attestor attestor, CoordinatorOptions options) {
    return boot(attestor, options, Ed25519.PrivateKey.generate());
  }

  /**
   * Boots with a long-lived {@code key} (an enclave's sealed identity) instead of a new one: the
   * service holds it from here on as it would a generated key, and {@code attestor} describes its
   * public half again for this boot.
   */
  public static CoordinatorService boot(
      Attestor attestor, CoordinatorOptions options, Ed25519.PrivateKey key) {
    Objects.requireNonNull(attestor, "attestor");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(key, "key");
    return new CoordinatorService(key, attestor.attest(key.publicKey()), options);
  }

  /** A dev-mode coordinator: software key, marked dev attestation. */
  public static CoordinatorService dev(CoordinatorOptions options) {
    return boot(Attestor.DEV, options);
  }

  @Override
  public CoordinatorKey identity() {
    return identity;
  }

  /**
   * @throws IllegalArgumentException when a member is malformed (ids, hash, model, prices)
   */
  @Override
  public SignedDispatchToken dispatch(DispatchRequest request) {
    Objects.requireNonNull(request, "request");
    long now = options.clock().millis();
    DispatchToken token =
        new DispatchToken(
            DispatchToken.VERSION,
            RequestId.parse(request.requestId()),
            request.requestSha256(),
            NodeId.parse(request.nodeId()),
            request.model(),
            request.inputMicrosPerMtok(),
            request.outputMicrosPerMtok(),
            request.maxTokens(),
            now,
            Math.addExact(now, options.tokenTtl().toMillis()),
            identity.keyId());
    return SignedDispatchToken.sign(token, key);
  }

  /**
   * @throws IllegalArgumentException when the request is incomplete or its account_ref malformed
   */
  @Override
  public Verification<SignedReceipt> settle(SettleRequest request)
      throws CoordinatorUnavailableException {
    SettleRequests.requireComplete(request);
    Verification<SignedDispatchToken> token =
        SignedDispatchToken.read(request.dispatchToken(), identity);
    if (!token.valid()) {
      return token.failure("");
    }
    String requestId = token.value().token().requestId().value();
    Optional<SettledReceipts.Settled> earlier = settled.find(requestId);
    if (earlier.isPresent()) {
      return answer(earlier.get(), request);
    }
    Verification<Receipt> receipt =
        settlement.settle(
            token.value(),
            request.proof(),
            request.nodePublicKey(),
            request.delivery(),
            request.accountRef());
    if (!receipt.valid()) {
      return receipt.failure("");
    }
    SignedReceipt signed = signer.sign(receipt.value());
    synchronized (log) { // one leaf per kept receipt, even when identical settles race
      Optional<SettledReceipts.Settled> raced = settled.find(requestId);
      if (raced.isPresent()) {
        return answer(raced.get(), request);
      }
      long index = log.append(signed.logEntry());
      SignedReceipt logged = signed.withLog(Json.object().put("index", index));
      return answer(settled.keep(requestId, new SettledReceipts.Settled(request, logged)), request);
    }
  }

  @Override
  public long openLog(LogState state) {
    return log.open(Objects.requireNonNull(state, "state"));
  }

  /**
   * Appends again what a crashed coordinator signed past the stored checkpoint: receipts of the
   * predecessor (the key of that checkpoint), and, each after its key's announcement, receipts of a
   * coordinator that crashed before any checkpoint covered its announcement. Such a key must pass
   * {@link CoordinatorOptions#succession()} as a predecessor would. The whole batch is checked
   * before anything is appended.
   */
  @Override
  public List<Long> relog(List<byte[]> entries) throws CoordinatorUnavailableException {
    log.requireOpen();
    CoordinatorKey predecessor =
        log.predecessor()
            .orElseThrow(
                () -> new IllegalArgumentException("this log was not resumed: nothing to re-log"));
    List<CoordinatorKey> trusted = new ArrayList<>(List.of(predecessor));
    for (byte[] entry : entries) {
      Optional<KeyAnnouncement> announced = KeyAnnouncement.parse(entry);
      if (announced.isPresent()) {
        trusted.add(lostKey(announced.get()));
      } else {
        requireReceiptOf(trusted, entry);
      }
    }
    List<Long> indices = new ArrayList<>();
    for (byte[] entry : entries) {
      indices.add(log.relog(entry));
    }
    return indices;
  }

  /** The key a re-logged announcement brings back, once it may be continued. */
  private CoordinatorKey lostKey(KeyAnnouncement announced) {
    CoordinatorKey key = announced.key();
    if (!announced.origin().equals(options.logOrigin())) {
      throw new IllegalArgumentException(
          "entries: a key announcement of log \"" + announced.origin() + "\"");
    }
    if (key.keyId().equals(identity.keyId())) {
      throw new IllegalArgumentException("entries: this coordinator's key is announced already");
    }
    options.succession().check(identity, key);
    return key;
  }

  private static void requireReceiptOf(List<CoordinatorKey> trusted, byte[] entry) {
    Verification<Receipt> receipt =
        new ReceiptVerifier(new TrustedKeys(trusted, true)).verify(entry);
    if (!receipt.valid()) {
      String keys = String.join(" or ", trusted.stream().map(CoordinatorKey::keyId).toList());
      throw new IllegalArgumentException(
          "entries: not a receipt of key " + keys + ": " + receipt.reason());
    }
    if (!Arrays.equals(LogEntries.receiptEntry(entry), entry)) {
      throw new IllegalArgumentException("entries: a receipt entry is the JCS of its envelope");
    }
  }

  @Override
  public LogHead logCheckpoint(long heldSize, long from) throws CoordinatorUnavailableException {
    return log.checkpoint(heldSize, from);
  }

  /** The kept receipt when {@code request} carries its evidence; a refusal otherwise. */
  private static Verification<SignedReceipt> answer(
      SettledReceipts.Settled kept, SettleRequest request) {
    if (kept.sameEvidenceAs(request)) {
      return Verification.valid(kept.receipt());
    }
    return Verification.invalid(
        "request "
            + kept.receipt().receipt().requestId()
            + " is already settled with other evidence; its first receipt stands");
  }

  @Override
  public String toString() {
    return "CoordinatorService[" + identity + ", private key redacted]";
  }
}
