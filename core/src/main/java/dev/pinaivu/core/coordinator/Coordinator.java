package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.translog.Hash;
import java.util.List;

/**
 * Port: the attested coordinator, the only holder of the key that signs dispatch tokens and
 * receipts. In production it runs in an AWS Nitro Enclave behind vsock; locally it is the same app
 * in dev mode on loopback TCP. Implementations must be safe for concurrent use.
 */
public interface Coordinator {
  /** The coordinator's current key and how it is attested (a marked dev document locally). */
  CoordinatorKey identity() throws CoordinatorUnavailableException;

  /** Signs a dispatch token for one job on one node. */
  SignedDispatchToken dispatch(DispatchRequest request) throws CoordinatorUnavailableException;

  /**
   * Checks the node's proof against the token and what the gateway observed, prices it and signs
   * the receipt; an invalid proof yields an invalid verification with the reason (no receipt). The
   * same request again with the same evidence gets the same receipt back.
   *
   * @throws AlreadySettledException when that receipt is no longer kept whole: it is in the log
   */
  Verification<SignedReceipt> settle(SettleRequest request) throws CoordinatorUnavailableException;

  /**
   * Opens the transparency log from the latest state its parent stored, verified (the checkpoint is
   * signed by a key the log announced, the frontier folds to its root), or empty; then the
   * coordinator announces its own key in the log. Once open, later calls change nothing. Until it
   * is open, {@link #settle}, {@link #logCheckpoint} and {@link #relog} are refused with {@link
   * CoordinatorUnavailableException}: only the parent opens the log, never a first settle.
   *
   * @return the leaf index of this coordinator's key announcement
   * @throws IllegalArgumentException when the state does not verify, saying why
   */
  long openLog(LogState state) throws CoordinatorUnavailableException;

  /**
   * A checkpoint of the whole log, signed now if the log grew, with the entries from {@code from}
   * up to a page. {@code heldSize} is the size of the parent's stored copy: everything below it
   * counts as stored and is forgotten; {@code from} (at least {@code heldSize}) lets the parent
   * page through entries it has fetched but not yet stored.
   *
   * @throws IllegalArgumentException when {@code heldSize} or {@code from} is not among the entries
   *     still kept
   */
  LogHead logCheckpoint(long heldSize, long from) throws CoordinatorUnavailableException;

  /**
   * Appends again receipts its predecessor signed and logged but that no stored checkpoint covers:
   * a coordinator that stopped before its parent fetched them took their leaves with it. Only
   * receipt entries that verify under the key that signed the checkpoint this log resumed from are
   * accepted; each is appended once per process.
   *
   * @return the new leaf index of each entry, in order
   * @throws IllegalArgumentException when an entry is not such a receipt, or the log was not
   *     resumed from a checkpoint
   */
  List<Long> relog(List<byte[]> entries) throws CoordinatorUnavailableException;

  /**
   * The state a coordinator resumes the log from: the latest signed checkpoint (note text), the
   * tree's {@link dev.pinaivu.core.translog.Frontier} at its size, and the announcement of the key
   * that signed it with its inclusion proof under that checkpoint. {@link #EMPTY} for a new log.
   */
  record LogState(
      String checkpoint,
      List<Hash> frontier,
      long keyEntryIndex,
      byte[] keyEntry,
      List<Hash> keyEntryPath) {
    public static final LogState EMPTY = new LogState(null, List.of(), 0, null, List.of());

    public LogState {
      frontier = List.copyOf(frontier);
      keyEntryPath = List.copyOf(keyEntryPath);
      if (checkpoint != null && keyEntry == null) {
        throw new IllegalArgumentException("key_entry is required with a checkpoint");
      }
      keyEntry = keyEntry == null ? null : keyEntry.clone();
    }

    @Override
    public byte[] keyEntry() {
      return keyEntry == null ? null : keyEntry.clone();
    }
  }

  /**
   * A signed checkpoint (note text) and the log entries from index {@code first}, in order; they
   * reach the checkpoint's size unless the page was full.
   */
  record LogHead(String checkpoint, long first, List<byte[]> entries) {
    public LogHead {
      entries = entries.stream().map(byte[]::clone).toList();
    }
  }

  /**
   * What the gateway asks a token for: this request, on the node that signed {@code offer}, at the
   * offer's price for {@code model}, within these token limits.
   *
   * @param nodePublicKey the key the node authenticated with; the node id derives from it
   * @param offer the node's signed offer, exactly as the node sent it
   * @param maxPromptTokens the gateway's prompt limit from the request bytes
   * @param maxCompletionTokens n × the client's max_tokens, or n × the network's default
   */
  record DispatchRequest(
      String requestId,
      String requestSha256,
      String model,
      byte[] nodePublicKey,
      SignedOffer offer,
      long maxPromptTokens,
      long maxCompletionTokens) {
    public DispatchRequest {
      nodePublicKey = nodePublicKey.clone();
    }

    @Override
    public byte[] nodePublicKey() {
      return nodePublicKey.clone();
    }

    public NodeId nodeId() {
      return NodeId.of(nodePublicKey);
    }
  }

  /**
   * What the gateway hands over once a job ended.
   *
   * @param offer the node's signed offer the token names
   */
  record SettleRequest(
      String dispatchToken,
      SignedOffer offer,
      SignedProof proof,
      byte[] nodePublicKey,
      Settlement.Delivery delivery,
      String accountRef) {}
}
