package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.NetworkTable.PK;
import static dev.pinaivu.functions.store.NetworkTable.SK;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The keys of the network table's items (ADR 21 lists them with their attributes). The formats are
 * also the CDK stack's and the other processes' reading the same table: change none alone.
 */
final class NetworkKeys {
  /** The fee account's balance and journal are split over this many items (ADR 21). */
  static final int FEE_SHARDS = 32;

  /** Owed settlements are spread over this many gsi1 partitions. */
  static final int OWED_SHARDS = 16;

  private NetworkKeys() {}

  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, s(pk), SK, s(sk));
  }

  static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
    return Map.of(PK, item.get(PK), SK, item.get(SK));
  }

  // --- the node registry

  /** Nodes are spread over this many partitions, all read to list them (ADR 21). */
  static final int NODE_SHARDS = 8;

  static String nodePartition(int shard) {
    return "NODES#" + shard;
  }

  static Map<String, AttributeValue> node(dev.pinaivu.core.node.NodeId node) {
    return key(
        nodePartition(Math.floorMod(node.value().hashCode(), NODE_SHARDS)), "NODE#" + node.value());
  }

  /** What a node did (reputation, quarantine): read by whichever process it connects to. */
  static Map<String, AttributeValue> conduct(dev.pinaivu.core.node.NodeId node) {
    return key("CONDUCT#" + node.value(), "CONDUCT");
  }

  /** A node's connection to the WebSocket API, from its {@code $connect} to its first offer on. */
  static Map<String, AttributeValue> nodeConnection(String connectionId) {
    return key("WSCONN#" + connectionId, "CONN");
  }

  /** A chat invocation's relay connection to the WebSocket API (ADR 27). */
  static Map<String, AttributeValue> relayConnection(String connectionId) {
    return key("WSRELAY#" + connectionId, "RELAY");
  }

  /** Where a dispatched job's frames go: its node's connection and its relay connection. */
  static Map<String, AttributeValue> jobRoute(String jobId) {
    return key("JOB#" + jobId, "ROUTE");
  }

  /** A {@code $connect} signature seen: each opens one connection. */
  static Map<String, AttributeValue> connectSignature(String signatureSha256) {
    return key("WSAUTH#" + signatureSha256, "AUTH");
  }

  // --- API keys

  static Map<String, AttributeValue> apiKey(String keyHash) {
    return key("KEY#" + keyHash, "KEY");
  }

  /** Points from a key's id to its hash: the id must be unique too, and found consistently. */
  static Map<String, AttributeValue> apiKeyId(String id) {
    return key("KEYID#" + id, "KEYID");
  }

  static final String API_KEYS_INDEX = "KEYS";

  // --- money

  static String balancePartition(AccountId account) {
    return "BAL#" + account.value();
  }

  static Map<String, AttributeValue> balance(AccountId account, int shard) {
    return key(balancePartition(account), "SHARD#" + shard);
  }

  /** The client balance item holds {@code available}; other accounts hold only {@code micros}. */
  static Map<String, AttributeValue> clientBalance(String accountId) {
    return key("BAL#" + accountId, "SHARD#0");
  }

  /** The fee account's shard a request's fee goes to. */
  static int feeShard(RequestId requestId) {
    return Math.floorMod(requestId.value().hashCode(), FEE_SHARDS);
  }

  static String journalPartition(AccountId account, int shard) {
    return account.kind() == AccountId.Kind.FEE
        ? "JRN#" + account.value() + "#" + shard
        : "JRN#" + account.value();
  }

  static Map<String, AttributeValue> topUp(String reference) {
    return key("TOPUP#" + reference, "TOPUP");
  }

  static Map<String, AttributeValue> spendTotal(String keyId) {
    return key("SPEND#" + keyId, "TOTAL");
  }

  // --- one request's items

  static String requestPartition(RequestId requestId) {
    return "REQ#" + requestId.value();
  }

  static Map<String, AttributeValue> settled(RequestId requestId) {
    return key(requestPartition(requestId), "SETTLED");
  }

  static Map<String, AttributeValue> receipt(RequestId requestId) {
    return key(requestPartition(requestId), "RECEIPT");
  }

  static Map<String, AttributeValue> owed(RequestId requestId) {
    return key(requestPartition(requestId), "OWED");
  }

  static Map<String, AttributeValue> hold(RequestId requestId) {
    return key(requestPartition(requestId), "HOLD");
  }

  /** The request's charge to its key's spend: the key spend's idempotency record. */
  static Map<String, AttributeValue> spend(RequestId requestId) {
    return key(requestPartition(requestId), "SPEND");
  }

  static String accountIndex(String accountId) {
    return "ACCT#" + accountId;
  }

  static String owedIndex(int shard) {
    return "OWED#" + shard;
  }

  static int owedShard(RequestId requestId) {
    return Math.floorMod(requestId.value().hashCode(), OWED_SHARDS);
  }

  /** gsi2's partitions of receipts by log index: spread so no one partition takes every write. */
  static final int LOG_INDEX_SHARDS = 16;

  static String logIndex(long index) {
    return "LOGIDX#" + Math.floorMod(index, LOG_INDEX_SHARDS);
  }

  static String logIndexShard(int shard) {
    return "LOGIDX#" + shard;
  }

  // --- rate windows

  static String ratePartition(String keyId) {
    return "RL#" + keyId;
  }

  /** Sort key of a key's counters for one minute since the epoch (10 digits: sorts as numbers). */
  static String minuteSort(long epochMinute) {
    return "M#" + String.format("%010d", epochMinute);
  }

  static Map<String, AttributeValue> minute(String keyId, long epochMinute) {
    return key(ratePartition(keyId), minuteSort(epochMinute));
  }

  static Map<String, AttributeValue> ticket(String keyId, String ticketId) {
    return key(ratePartition(keyId), "T#" + ticketId);
  }
}
