package dev.pinaivu.core.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.auth.Permissions;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The use cases about what a caller has used and can prove, as every entry point serves them (the
 * local gateway's routes, the Lambda handlers): {@code GET /v1/usage}, {@code GET
 * /v1/receipts/{request_id}} and {@code GET /v1/attestation}. Usage and receipts need the key's
 * {@code usage} and {@code receipts} scopes; the attestation is public. Failures are {@link
 * ApiException}s, mapped by the entry point through {@code ErrorResponses}.
 */
public final class AccountQueries {
  /** A receipt is settled within moments of the response; a lookup waits this long for it. */
  public static final Duration RECEIPT_WAIT = Duration.ofSeconds(2);

  /** Waits for a settlement this process is making now, if any (none on a stateless process). */
  @FunctionalInterface
  public interface Settling {
    void await(String requestId, Duration wait) throws InterruptedException;

    /** A process that settles nothing itself. */
    Settling NONE = (id, wait) -> {};
  }

  private final Authenticator authenticator;
  private final UsageReport usage;
  private final ReceiptLookup receipts;
  private final Settling settling;
  private final Supplier<List<CoordinatorKey>> coordinatorKeys;
  private final UnaryOperator<SignedReceipt> evidence;

  /**
   * @param evidence adds the transparency log's proof to each receipt served
   */
  public AccountQueries(
      Authenticator authenticator,
      UsageReport usage,
      ReceiptLookup receipts,
      Settling settling,
      Supplier<List<CoordinatorKey>> coordinatorKeys,
      UnaryOperator<SignedReceipt> evidence) {
    this.authenticator = authenticator;
    this.usage = usage;
    this.receipts = receipts;
    this.settling = settling;
    this.coordinatorKeys = coordinatorKeys;
    this.evidence = evidence;
  }

  /** {@code GET /v1/usage} with its query parameters. */
  public UsagePage usage(String authorization, Map<String, List<String>> query) {
    Caller caller = authenticator.authenticate(authorization);
    Permissions.require(caller, Scope.USAGE);
    return usage.report(caller.accountId(), query);
  }

  /** {@code GET /v1/receipts/{id}}: the signed receipt as JSON bytes, with its log evidence. */
  public byte[] receipt(String authorization, String id) throws InterruptedException {
    Caller caller = authenticator.authenticate(authorization);
    // before any lookup: a 403 must not tell whether the id exists
    Permissions.require(caller, Scope.RECEIPTS);
    String stored;
    try {
      stored = receipts.signedReceipt(caller.accountId(), id);
    } catch (ApiException notYet) {
      // settled moments after the response: wait for a settlement in progress, then look again
      settling.await(id, RECEIPT_WAIT);
      stored = receipts.signedReceipt(caller.accountId(), id);
    }
    SignedReceipt signed;
    try {
      signed = Json.MAPPER.readValue(stored, SignedReceipt.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored receipt does not read back: " + id, e);
    }
    return Json.bytes(evidence.apply(signed));
  }

  /** {@code GET /v1/attestation}: the keys receipts are signed with, like a JWKS endpoint. */
  public ObjectNode attestation() {
    ObjectNode body = Json.object();
    ArrayNode keys = body.putArray("keys");
    for (CoordinatorKey key : coordinatorKeys.get()) {
      keys.add(Json.MAPPER.valueToTree(key.toWire()));
    }
    return body;
  }
}
