package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.receipt.ReceiptSigner;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.receipt.SettledReceipt;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.NoteSigner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
  private final SettledRequests settled;
  private final TokenIssuer tokens;
  private final CoordinatorLog log;

  /** Keys whose tokens this coordinator settles: its own, and predecessors its log proved. */
  private final Set<CoordinatorKey> tokenKeys = ConcurrentHashMap.newKeySet();

  private CoordinatorService(
      Ed25519.PrivateKey key, CoordinatorKey identity, CoordinatorOptions options) {
    if (!identity.keyId().equals(CoordinatorKey.keyIdOf(key.publicKey()))) {
      throw new IllegalArgumentException("the attestor described another key");
    }
    this.key = key;
    this.identity = identity;
    this.options = options;
    this.signer = new ReceiptSigner(key);
    this.tokens = new TokenIssuer(key, identity.keyId(), options);
    this.settlement = new Settlement(options.clock());
    this.settled = new SettledRequests(options.settledCapacity());
    this.tokenKeys.add(identity);
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
   * Signs a token at the price of the node's own signed offer for the model, within the request's
   * token limits, with this coordinator's fee ({@link TokenIssuer}).
   *
   * @throws IllegalArgumentException when a member is malformed, the offer does not verify or does
   *     not offer the model, its price is above the ceiling, or the limits are out of range
   */
  @Override
  public SignedDispatchToken dispatch(DispatchRequest request) {
    return tokens.issue(request);
  }

  /**
   * @throws IllegalArgumentException when the request is incomplete or its account_ref malformed
   */
  @Override
  public Verification<SignedReceipt> settle(SettleRequest request)
      throws CoordinatorUnavailableException {
    SettleRequests.requireComplete(request);
    Verification<SignedDispatchToken> token =
        SignedDispatchToken.read(request.dispatchToken(), new TrustedKeys(tokenKeys, true));
    if (!token.valid()) {
      return token.failure("");
    }
    long now = options.clock().millis();
    if (now > token.value().token().settleByMs()) {
      return Verification.invalid(
          "the dispatch token's settlement window closed at "
              + token.value().token().settleByMs()
              + " (now "
              + now
              + "): nothing billed");
    }
    String requestId = token.value().token().requestId().value();
    byte[] evidence = SettleEvidence.sha256(request);
    Optional<SettledRequests.Settled> earlier = settled.find(requestId, now);
    if (earlier.isPresent()) {
      return answer(requestId, earlier.get(), evidence);
    }
    Verification<SettledReceipt> receipt =
        settlement.settle(
            token.value(),
            request.offer(),
            request.proof(),
            request.nodePublicKey(),
            request.delivery(),
            request.accountRef(),
            identity.keyId()); // a predecessor's token gets a receipt of this key
    if (!receipt.valid()) {
      return receipt.failure("");
    }
    SignedReceipt signed = signer.sign(receipt.value());
    synchronized (log) { // one leaf per kept receipt, even when identical settles race
      Optional<SettledRequests.Settled> raced = settled.find(requestId, now);
      if (raced.isPresent()) {
        return answer(requestId, raced.get(), evidence);
      }
      long index = log.append(signed.logEntry());
      SignedReceipt logged = signed.withLog(Json.object().put("index", index));
      settled.keep(
          requestId,
          new SettledRequests.Settled(evidence, index, token.value().token().settleByMs()),
          logged);
      return Verification.valid(logged);
    }
  }

  @Override
  public long openLog(LogState state) {
    long announced = log.open(Objects.requireNonNull(state, "state"));
    log.predecessor().ifPresent(tokenKeys::add); // its tokens are still owed settlements
    return announced;
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
    Map<Integer, Receipt> receipts = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      Optional<KeyAnnouncement> announced = KeyAnnouncement.parse(entries.get(i));
      if (announced.isPresent()) {
        trusted.add(lostKey(announced.get()));
      } else {
        receipts.put(i, requireReceiptOf(trusted, entries.get(i)));
      }
    }
    List<Long> indices = new ArrayList<>();
    for (byte[] entry : entries) {
      indices.add(log.relog(entry));
    }
    tokenKeys.addAll(trusted); // their tokens may still be owed settlements
    receipts.forEach((i, receipt) -> rememberSettled(receipt, indices.get(i)));
    return indices;
  }

  /** A predecessor settled this request: here it gets no second receipt while it can be retried. */
  private void rememberSettled(Receipt receipt, long logIndex) {
    long settleBy =
        SignedDispatchToken.payload(receipt.dispatchToken())
            .map(DispatchToken::settleByMs)
            .orElse(Long.MAX_VALUE);
    settled.keep(
        receipt.requestId().value(), new SettledRequests.Settled(null, logIndex, settleBy), null);
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

  private Receipt requireReceiptOf(List<CoordinatorKey> trusted, byte[] entry) {
    List<CoordinatorKey> known = new ArrayList<>(trusted);
    known.addAll(tokenKeys); // its token may be an older predecessor's
    Verification<Receipt> receipt = new ReceiptVerifier(new TrustedKeys(known, true)).verify(entry);
    String signer = receipt.valid() ? receipt.value().coordinatorKeyId() : null;
    if (!receipt.valid() || trusted.stream().noneMatch(k -> k.keyId().equals(signer))) {
      String keys = String.join(" or ", trusted.stream().map(CoordinatorKey::keyId).toList());
      String why = receipt.valid() ? "signed by key " + signer : receipt.reason();
      throw new IllegalArgumentException("entries: not a receipt of key " + keys + ": " + why);
    }
    if (!Arrays.equals(LogEntries.receiptEntry(entry), entry)) {
      throw new IllegalArgumentException("entries: a receipt entry is the JCS of its envelope");
    }
    return receipt.value();
  }

  @Override
  public LogHead logCheckpoint(long heldSize, long from) throws CoordinatorUnavailableException {
    return log.checkpoint(heldSize, from);
  }

  /**
   * A settle of a request settled before: the same evidence gets the receipt signed the first time
   * (while it is cached whole), anything else a refusal; the first receipt stands.
   */
  private Verification<SignedReceipt> answer(
      String requestId, SettledRequests.Settled kept, byte[] evidence) {
    if (kept.sameEvidence(evidence)) {
      Optional<SignedReceipt> receipt = settled.receipt(requestId);
      if (receipt.isPresent()) {
        return Verification.valid(receipt.get());
      }
      throw AlreadySettledException.of(requestId, kept.logIndex());
    }
    return Verification.invalid(
        "request "
            + requestId
            + " is already settled with other evidence (log entry "
            + kept.logIndex()
            + "); its first receipt stands");
  }

  @Override
  public String toString() {
    return "CoordinatorService[" + identity + ", private key redacted]";
  }
}
