package dev.pinaivu.core.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.InMemoryApiKeyStore;
import dev.pinaivu.core.billing.InMemoryPendingSettlements;
import dev.pinaivu.core.billing.InMemorySettlementRecords;
import dev.pinaivu.core.billing.LoggedReceipts;
import dev.pinaivu.core.billing.RequestSettler;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.OpenedLogs;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.InMemoryLedger;
import dev.pinaivu.core.limits.Admission;
import dev.pinaivu.core.limits.InMemoryKeySpend;
import dev.pinaivu.core.limits.LedgerReservations;
import dev.pinaivu.core.limits.Quota;
import dev.pinaivu.core.limits.RateLimiter;
import dev.pinaivu.core.metering.ClaimCheck;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.routing.PriceCeilings;
import dev.pinaivu.core.routing.Router;
import dev.pinaivu.core.usage.InMemoryReceiptStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * The chat use case wired to scripted nodes and in-memory stores, for the tests of this package.
 */
abstract class ChatServiceFixture {
  final ScriptedNodes nodes = new ScriptedNodes();
  final RecordingSink sink = new RecordingSink();
  final InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
  final InMemoryLedger ledger = new InMemoryLedger();
  final InMemoryKeySpend spend = new InMemoryKeySpend();
  final LedgerReservations holds = new LedgerReservations(ledger, spend);
  final RateLimiter limiter = new RateLimiter(Clock.systemUTC());
  String auth;
  ChatCompletionService service;
  RequestSettler settler;

  /** The use case's clock; a test may replace it and rebuild {@link #service}. */
  Clock clock = Clock.systemUTC();

  /** Runs settlements; synchronous unless a test replaces it and rebuilds {@link #service}. */
  java.util.concurrent.Executor settlements = Runnable::run;

  @BeforeEach
  void setUp() {
    ApiKey key = ApiKey.generate();
    keys.insert(new ApiKeyRecord("key_1", "t", "acct_1", key.hash(), key.hint(), 1, null));
    auth = "Bearer " + key.reveal();
    ledger.credit("acct_1", 1_000_000, "pay_1");
    service = serviceWith(3);
  }

  final InMemoryReceiptStore receipts = new InMemoryReceiptStore();
  final InMemoryPendingSettlements owed = new InMemoryPendingSettlements();

  /** Where the settler keeps owed settlements: {@link #owed}, or a test's wrapper of it. */
  dev.pinaivu.core.billing.PendingSettlements keptIn = owed;

  final CoordinatorService coordinator =
      OpenedLogs.dev(CoordinatorOptions.withFees(new FeePolicy(500)));

  /** What the settler reaches as its coordinator; a test may replace it and rebuild the service. */
  Coordinator settling = coordinator;

  /**
   * A first output within 1 s: scripted nodes answer at once, but a loaded 2-core CI machine can
   * stall a thread for more than 50 ms (seen: BillingTest failing over its only node).
   */
  ChatCompletionService serviceWith(int maxAttempts) {
    return serviceWith(maxAttempts, Duration.ofSeconds(1));
  }

  ChatCompletionService serviceWith(int maxAttempts, Duration firstOutputTimeout) {
    ChatSettings settings =
        new ChatSettings(
            firstOutputTimeout,
            Duration.ofMillis(50),
            maxAttempts,
            Duration.ofMinutes(1),
            ChatSettings.DEFAULT_MAX_TOKENS);
    settler =
        new RequestSettler(
            settling,
            new RequestSettler.Stores(
                receipts,
                keptIn,
                new InMemorySettlementRecords(receipts, ledger, spend, owed),
                LoggedReceipts.NONE),
            holds,
            account -> Sha256.digest(account.getBytes(StandardCharsets.UTF_8)),
            settlements,
            Duration.ofSeconds(1),
            clock);
    Admission admission = new Admission(new Quota(ledger, spend), limiter);
    return new ChatCompletionService(
        new ChatCompletionService.Parts(
            new Authenticator(keys),
            admission,
            nodes,
            nodes,
            new Router(),
            coordinator,
            settler,
            holds,
            ceilings,
            new ClaimCheck(text -> text.length() / 4 + 1)),
        clock,
        settings);
  }

  /** The operator's price ceilings; a test may replace them and rebuild {@link #service}. */
  PriceCeilings ceilings = PriceCeilings.DEFAULTS;

  void call(String body) throws InterruptedException {
    service.complete(auth, body.getBytes(StandardCharsets.UTF_8), sink);
  }

  static final String STREAM =
      "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String STREAM_USAGE =
      "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String PLAIN =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static ObjectNode delta(String field, String value) {
    ObjectNode chunk = Json.object().put("id", "upstream-id").put("model", "upstream-model");
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.putObject("delta").put(field, value);
    choice.putNull("finish_reason");
    chunk.putNull("usage");
    return chunk;
  }

  /** A well-behaved stream: role chunk, the words, finish chunk, done. */
  static List<Frame.JobFrame> answer(String job, String... words) {
    List<Frame.JobFrame> out = new ArrayList<>();
    out.add(new Frame.Chunk(job, 0, delta("role", "assistant")));
    for (String w : words) {
      out.add(new Frame.Chunk(job, out.size(), delta("content", w)));
    }
    ObjectNode finish = Json.object();
    finish
        .putArray("choices")
        .addObject()
        .put("index", 0)
        .put("finish_reason", "stop")
        .putObject("delta");
    out.add(new Frame.Chunk(job, out.size(), finish));
    out.add(new Frame.Done(job, out.size(), Usage.of(5, words.length), false));
    return out;
  }
}
