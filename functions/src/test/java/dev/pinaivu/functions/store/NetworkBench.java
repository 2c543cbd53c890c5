package dev.pinaivu.functions.store;

import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.billing.PendingSettlement;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorJob;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.limits.Ticket;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.functions.store.NetworkStores.Billed;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What one request costs the network table, run against dynalite behind the test-only front (not
 * DynamoDB: its figures say how the adapters behave, not how fast DynamoDB is). For each request:
 * the request path (key lookup, rate admission, hold) one after another, then the settlement path
 * (keep owed, look for an earlier receipt, the record, the release, the rate settle) on 8 threads;
 * DynamoDB calls are counted by operation. Then it sizes each item as written and prints the
 * capacity units and the on-demand cost per million requests as Markdown (BENCHMARKS.md).
 *
 * <p>Run (after {@code ./mvnw -pl functions -am install -DskipTests} and {@code ./mvnw -pl
 * functions generate-test-resources dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=target/classpath.txt}): {@code java -Ddynamo.front=functions/target/emulators/
 * dynamo-front/main.js -cp functions/target/test-classes:functions/target/classes:$(cat
 * functions/target/classpath.txt) dev.pinaivu.functions.store.NetworkBench 1000}
 */
public final class NetworkBench {
  private static final double WRITE_PRICE = 0.625; // USD per million write request units
  private static final double READ_PRICE = 0.125; // USD per million read request units
  private static final int THREADS = 8;

  private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("sent");
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();

  private NetworkBench() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    new NetworkBench().run(requests);
  }

  private void run(int requests) throws Exception {
    try (DynamoTransactionsFront front = DynamoTransactionsFront.start(null);
        DynamoDbClient dynamo = countingClient(front)) {
      String table = DynamoTransactionsFront.uniqueTableName("bench-network");
      NetworkTable.create(dynamo, table);
      NetworkTable items = new NetworkTable(dynamo, table);
      NetworkStores stores = NetworkStores.on(dynamo, table);
      DynamoDbApiKeyStore keys = new DynamoDbApiKeyStore(dynamo, table);
      DynamoDbRateLimits limits = new DynamoDbRateLimits(dynamo, table, InstantSource.system());
      ApiKey apiKey = ApiKey.generate();
      keys.insert(
          new ApiKeyRecord("key_1", "bench", "acct_1", apiKey.hash(), apiKey.hint(), 1, null));
      stores.ledger().credit("acct_1", 1_000_000_000_000L, "pay_bench");
      Coordinator.SettleRequest settle = settleRequest();
      Caller caller = NetworkStores.caller("key_1", 10_000_000_000L);

      List<Billed> billed = new ArrayList<>();
      List<Ticket> tickets = new ArrayList<>();
      reset();
      long pathStart = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        Billed b = Billed.of(RequestId.next());
        keys.findByHash(apiKey.hash()).orElseThrow();
        tickets.add(limits.admit("key_1", 1_000_000, 1_000_000_000, 2_000));
        stores.holds().hold(b.receipt().requestId(), caller, 2 * b.payment().totalMicros());
        billed.add(b);
      }
      double pathMs = (System.nanoTime() - pathStart) / 1e6 / requests;
      String pathCalls = snapshot(requests);

      Map<String, Long> bytes = new TreeMap<>();
      sizeBeforeSettling(items, stores, billed.getFirst().receipt().requestId(), settle, bytes);
      stores.owed().forget(billed.getFirst().receipt().requestId());

      reset();
      long settleStart = System.nanoTime();
      try (var pool = Executors.newFixedThreadPool(THREADS)) {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
          Billed b = billed.get(i);
          Ticket ticket = tickets.get(i);
          done.add(
              pool.submit(() -> {
                RequestId id = b.receipt().requestId();
                stores.owed().keep(new PendingSettlement(id, "acct_1", "key_1", settle, 1));
                stores.receipts().find(id);
                stores.records().record(b.receipt(), b.payment());
                stores.holds().release(id);
                limits.settle(ticket, 1_500);
                return null;
              }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
      double settlementsPerSecond = requests / ((System.nanoTime() - settleStart) / 1e9);
      String settleCalls = snapshot(requests);
      if (stores.holds().heldMicros("acct_1") != 0) {
        throw new IllegalStateException("holds are left after every settlement");
      }
      sizeAfterSettling(items, apiKey.hash(), billed.getFirst(), tickets.getFirst(), bytes);

      Sizes sizes = new Sizes(bytes);
      System.out.printf(
          "%d requests; request path %.2f ms each, one at a time; settlement path %.0f/s on %d"
              + " threads%n%n",
          requests, pathMs, settlementsPerSecond, THREADS);
      System.out.println("| path | DynamoDB calls per request (mean time of one) |");
      System.out.println("| --- | --- |");
      System.out.println("| request | " + pathCalls + " |");
      System.out.println("| settlement | " + settleCalls + " |");
      System.out.println();
      System.out.println("| item | bytes | write units | read units |");
      System.out.println("| --- | ---: | ---: | ---: |");
      bytes.forEach((item, b) ->
          System.out.printf(
              "| %s | %d | %d | %d |%n", item, b, ItemSizes.writeUnits(b), ItemSizes.readUnits(b)));
      System.out.println();
      printCost(sizes);
    }
  }

  private DynamoDbClient countingClient(DynamoTransactionsFront front) {
    ExecutionInterceptor counter =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            calls.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
            attributes.putAttribute(SENT, System.nanoTime());
          }

          @Override
          public void afterTransmission(
              Context.AfterTransmission context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            long took = System.nanoTime() - attributes.getAttribute(SENT);
            nanos.computeIfAbsent(operation, o -> new AtomicLong()).addAndGet(took);
          }
        };
    return DynamoDbClient.builder()
        .endpointOverride(front.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
        .build();
  }

  private void reset() {
    calls.clear();
    nanos.clear();
  }

  /** Per operation: how many calls per request, and their mean time on the wire. */
  private String snapshot(int requests) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(calls)
        .forEach((op, n) ->
            parts.add(
                String.format(
                    "%s %.2f (%.1f ms)",
                    op,
                    (double) n.get() / requests,
                    nanos.getOrDefault(op, new AtomicLong()).get() / 1e6 / n.get())));
    return String.join(", ", parts);
  }

  private static Coordinator.SettleRequest settleRequest() {
    CoordinatorService coordinator =
        CoordinatorService.dev(CoordinatorOptions.withFees(FeePolicy.NONE));
    CoordinatorJob job = new CoordinatorJob();
    return job.settleRequest(coordinator.dispatch(job.dispatchRequest()));
  }

  /** Bytes of each item as written, read back from the table (the deleted ones before). */
  record Sizes(Map<String, Long> bytes) {
    long of(String item) {
      return bytes.get(item);
    }

    long write(String item) {
      return ItemSizes.writeUnits(of(item));
    }

    long read(String item) {
      return ItemSizes.readUnits(of(item));
    }
  }

  /** Sizes of the items of a request held but not yet settled: HOLD and OWED die at settlement. */
  private static void sizeBeforeSettling(
      NetworkTable t,
      NetworkStores stores,
      RequestId id,
      Coordinator.SettleRequest settle,
      Map<String, Long> bytes) {
    bytes.put("HOLD", size(t.get("size", NetworkKeys.hold(id))));
    stores.owed().keep(new PendingSettlement(id, "acct_1", "key_1", settle, 1));
    Map<String, AttributeValue> owed = t.get("size", NetworkKeys.owed(id));
    bytes.put("OWED", size(owed));
    bytes.put("OWED in gsi1", ItemSizes.bytes(indexEntry(owed, List.of())));
  }

  /** Sizes of the items a settled request left, as written. */
  private static void sizeAfterSettling(
      NetworkTable t, String keyHash, Billed sample, Ticket ticket, Map<String, Long> bytes) {
    RequestId id = sample.receipt().requestId();
    Map<String, AttributeValue> receipt = t.get("size", NetworkKeys.receipt(id));
    bytes.put("RECEIPT", size(receipt));
    bytes.put("RECEIPT in gsi1", ItemSizes.bytes(indexEntry(receipt, ReceiptItems.FIGURES)));
    bytes.put("SETTLED", size(t.get("size", NetworkKeys.settled(id))));
    bytes.put("SPEND (request)", size(t.get("size", NetworkKeys.spend(id))));
    bytes.put("SPEND total", size(t.get("size", NetworkKeys.spendTotal("key_1"))));
    bytes.put("BAL client", size(t.get("size", NetworkKeys.clientBalance("acct_1"))));
    bytes.put("BAL node", size(t.get("size", NetworkKeys.balance(sample.payment().node(), 0))));
    bytes.put(
        "BAL fee shard",
        size(t.get("size", NetworkKeys.balance(AccountId.FEE, NetworkKeys.feeShard(id)))));
    long journal = 0;
    for (var e : sample.payment().entries(0)) {
      journal = Math.max(journal, ItemSizes.bytes(LedgerItems.entry(e, NetworkKeys.feeShard(id))));
    }
    bytes.put("JRN (largest of 3)", journal);
    bytes.put("KEY", size(t.get("size", NetworkKeys.apiKey(keyHash))));
    bytes.put("RL ticket mark", size(t.get("size", NetworkKeys.ticket("key_1", ticket.id()))));
    bytes.put(
        "RL minute, as written here",
        size(
            t.get(
                "size", NetworkKeys.minute("key_1", SlotWindow.minuteOf(ticket.admittedAtMs())))));
    bytes.put("RL minute, all 60 s used", ItemSizes.bytes(fullMinute()));
  }

  /** What an index holds of an item: the table's and the index's keys and {@code included}. */
  private static Map<String, AttributeValue> indexEntry(
      Map<String, AttributeValue> item, List<String> included) {
    Map<String, AttributeValue> entry = new HashMap<>();
    for (String name :
        List.of(NetworkTable.PK, NetworkTable.SK, NetworkTable.GSI1_PK, NetworkTable.GSI1_SK)) {
      entry.put(name, item.get(name));
    }
    included.forEach(name -> entry.put(name, item.get(name)));
    return entry;
  }

  private static String keyHash(DynamoDbClient dynamo, String table) {
    return new DynamoDbApiKeyStore(dynamo, table).findById("key_1").orElseThrow().keyHash();
  }

  private static long size(Map<String, AttributeValue> item) {
    return item == null ? 0 : ItemSizes.bytes(item);
  }

  /** A key's minute with every second used: 3-digit request and 6-digit token counts. */
  private static Map<String, AttributeValue> fullMinute() {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.minute("key_01jxyz", 29_999_999));
    item.put(SlotWindow.REQUESTS, Attributes.n(59_940));
    item.put(SlotWindow.TOKENS, Attributes.n(99_000_000));
    for (int s = 0; s < SlotWindow.SLOTS; s++) {
      item.put(SlotWindow.requestsOf(s), Attributes.n(999));
      item.put(SlotWindow.tokensOf(s), Attributes.n(999_999));
    }
    item.put(NetworkTable.TTL, Attributes.n(1_800_000_300L));
    return item;
  }

  /**
   * Capacity units per request, from the sizes: a transactional write costs twice a standard one, a
   * delete costs the deleted item's size, an index entry written or removed one more write, and a
   * strongly consistent read of a missing item one read unit.
   */
  private static void printCost(Sizes z) {
    String minute = "RL minute, all 60 s used";
    long pathReads = z.read("KEY") + z.read(minute) + 1; // the key, the previous minute, the hold
    long pathWrites =
        z.write(minute) + 2 * (z.write("HOLD") + z.write("BAL client") + z.write("SPEND total"));
    long settleReads = 1 + z.read("HOLD") + 1; // earlier receipt?, the hold, the release's read
    long recordWrites =
        2
                * (z.write("RECEIPT")
                    + z.write("SETTLED")
                    + z.write("BAL client")
                    + z.write("BAL node")
                    + z.write("BAL fee shard")
                    + 3 * z.write("JRN (largest of 3)")
                    + z.write("SPEND (request)")
                    + z.write("SPEND total")
                    + z.write("OWED")
                    + z.write("HOLD"))
            + z.write("RECEIPT in gsi1")
            + z.write("OWED in gsi1");
    long settleWrites =
        z.write("OWED")
            + z.write("OWED in gsi1")
            + recordWrites
            + 2 * (z.write("RL ticket mark") + z.write(minute));
    long writes = pathWrites + settleWrites;
    long reads = pathReads + settleReads;
    System.out.println("| per request | read units | write units |");
    System.out.println("| --- | ---: | ---: |");
    System.out.printf("| request path | %d | %d |%n", pathReads, pathWrites);
    System.out.printf(
        "| settlement (of it the record's transaction: %d write units) | %d | %d |%n",
        recordWrites, settleReads, settleWrites);
    System.out.printf("| **total** | **%d** | **%d** |%n%n", reads, writes);
    System.out.printf(
        "on-demand at $%.3f per million write and $%.3f per million read units: $%.2f per million"
            + " requests%n",
        WRITE_PRICE, READ_PRICE, writes * WRITE_PRICE + reads * READ_PRICE);
  }
}
