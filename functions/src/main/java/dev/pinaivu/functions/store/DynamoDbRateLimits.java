package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.SlotWindow.REQUESTS;
import static dev.pinaivu.functions.store.SlotWindow.TOKENS;

import dev.pinaivu.core.limits.RateLimitedException;
import dev.pinaivu.core.limits.RateLimits;
import dev.pinaivu.core.limits.Ticket;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link RateLimits} on the network table, shared by every process serving a key: a sliding window
 * counted in one-second slots ({@link SlotWindow}), one item per key and minute ({@code
 * RL#<key>/M#<minute>}: {@code requests}, {@code tokens} and per slot {@code r<s>}, {@code t<s>}).
 * Admission reads the previous minute, then adds the request to the current one in one conditional
 * {@code UpdateItem}: {@code requests < rpm − previous requests still counting} and {@code tokens
 * <= tpm − this reservation − previous tokens still counting}, so processes racing for the last
 * room cannot both get it. A request counts up to {@link SlotWindow#LATENESS_MS} longer than the
 * in-memory sliding log would count it, never shorter; its waits are as much later.
 *
 * <p>Settling a ticket puts its mark {@code RL#<key>/T#<ticket>} on condition that it is absent
 * and, in the same transaction, adds the difference to the slot it was admitted in: settled once,
 * from any process. A ticket older than the window changes nothing. Items carry a TTL a few minutes
 * past their use; reads never rely on it (they read only the minutes of the window).
 */
public final class DynamoDbRateLimits implements RateLimits {
  private static final long KEEP_AFTER_USE_SECONDS = 300;
  private static final int MAX_ATTEMPTS = 10;

  private final NetworkTable table;
  private final InstantSource clock;

  public DynamoDbRateLimits(DynamoDbClient dynamo, String table, InstantSource clock) {
    this.table = new NetworkTable(dynamo, table);
    this.clock = clock;
  }

  @Override
  public Ticket admit(String keyId, Integer rpm, Integer tpm, long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("a reservation cannot be negative: " + tokens);
    }
    if (rpm == null && tpm == null) {
      return Ticket.unlimited();
    }
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      long now = clock.millis();
      long minute = SlotWindow.minuteOf(now);
      Map<String, AttributeValue> previous = readMinute(keyId, minute - 1);
      SlotWindow before = SlotWindow.of(now, previous, null);
      if (tpm != null && tokens > tpm) {
        SlotWindow window = SlotWindow.of(now, previous, readMinute(keyId, minute));
        throw RateLimitedException.tooLarge(keyId, tpm, tokens, window.status(rpm, tpm));
      }
      long requestRoom = rpm == null ? Long.MAX_VALUE : rpm - before.previousRequests();
      long tokenRoom = tpm == null ? Long.MAX_VALUE : tpm - tokens - before.previousTokens();
      Map<String, AttributeValue> current;
      if (requestRoom <= 0 || tokenRoom < 0) {
        current = readMinute(keyId, minute);
      } else {
        NetworkTable.UpdateOutcome added =
            table.update(
                "admit a request of " + keyId,
                admission(keyId, now, tokens, requestRoom, tokenRoom),
                ReturnValue.ALL_NEW);
        if (added.applied()) {
          SlotWindow after = SlotWindow.of(now, previous, added.item());
          return new Ticket(
              UUID.randomUUID().toString(), keyId, now, tokens, after.status(rpm, tpm));
        }
        current = added.item();
      }
      refuse(keyId, rpm, tpm, tokens, SlotWindow.of(now, previous, current));
      // the counts changed between the refusal and reading them: try again
    }
    throw new NetworkStoreException("admit a request of " + keyId, "the window kept changing");
  }

  @Override
  public void settle(Ticket ticket, long actualTokens) {
    if (actualTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative: " + actualTokens);
    }
    if (!ticket.limited() || ticket.admittedAtMs() + WINDOW_MS <= clock.millis()) {
      return; // nothing held, or it has left the window
    }
    Map<String, AttributeValue> mark =
        new HashMap<>(NetworkKeys.ticket(ticket.keyId(), ticket.id()));
    mark.put(NetworkTable.TTL, n(expiry(ticket.admittedAtMs() + WINDOW_MS)));
    long difference = actualTokens - ticket.reservedTokens();
    String operation = "settle a ticket of " + ticket.keyId();
    if (difference == 0) {
      table.putIfAbsent(operation, mark);
      return;
    }
    int slot = SlotWindow.slotOf(ticket.admittedAtMs());
    Transaction tx = table.transaction();
    tx.put("mark", mark, new Conditions().absent());
    tx.update(
            "minute",
            NetworkKeys.minute(ticket.keyId(), SlotWindow.minuteOf(ticket.admittedAtMs())))
        .add(TOKENS, difference)
        .add(SlotWindow.tokensOf(slot), difference)
        .require()
        .present();
    table.transact(operation, tx); // refused: settled before, or not counted here
  }

  @Override
  public long tokensInWindow(String keyId) {
    long now = clock.millis();
    long minute = SlotWindow.minuteOf(now);
    QueryRequest query =
        QueryRequest.builder()
            .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
            .expressionAttributeNames(Map.of("#pk", NetworkTable.PK, "#sk", NetworkTable.SK))
            .expressionAttributeValues(
                Map.of(
                    ":pk", s(NetworkKeys.ratePartition(keyId)),
                    ":from", s(NetworkKeys.minuteSort(minute - 1)),
                    ":to", s(NetworkKeys.minuteSort(minute))))
            .consistentRead(true)
            .build();
    Map<String, AttributeValue> previous = null;
    Map<String, AttributeValue> current = null;
    List<Map<String, AttributeValue>> minutes = table.query("read the window of " + keyId, query);
    for (Map<String, AttributeValue> item : minutes) {
      if (item.get(NetworkTable.SK).s().equals(NetworkKeys.minuteSort(minute))) {
        current = item;
      } else {
        previous = item;
      }
    }
    return SlotWindow.of(now, previous, current).tokens();
  }

  private ItemUpdate admission(
      String keyId, long now, long tokens, long requestRoom, long tokenRoom) {
    int slot = SlotWindow.slotOf(now);
    long minute = SlotWindow.minuteOf(now);
    ItemUpdate add =
        new ItemUpdate(NetworkKeys.minute(keyId, minute))
            .add(REQUESTS, 1)
            .add(TOKENS, tokens)
            .add(SlotWindow.requestsOf(slot), 1)
            .add(SlotWindow.tokensOf(slot), tokens)
            .setIfAbsent(NetworkTable.TTL, n(expiry((minute + 2) * WINDOW_MS)));
    if (requestRoom != Long.MAX_VALUE) {
      add.require().atMost(REQUESTS, requestRoom - 1);
    }
    if (tokenRoom != Long.MAX_VALUE) {
      add.require().atMost(TOKENS, tokenRoom);
    }
    return add;
  }

  /** Throws the refusal the window calls for; returns when it has room after all. */
  private static void refuse(
      String keyId, Integer rpm, Integer tpm, long tokens, SlotWindow window) {
    long requestWait = rpm != null && window.requests() >= rpm ? window.untilRequestsFit(rpm) : 0;
    long tokenWait =
        tpm != null && window.tokens() + tokens > tpm ? window.untilTokensFit(tpm - tokens) : 0;
    if (requestWait <= 0 && tokenWait <= 0) {
      return;
    }
    if (requestWait >= tokenWait) {
      throw RateLimitedException.windowFull(
          keyId,
          "requests per min (RPM)",
          rpm,
          window.requests(),
          1,
          requestWait,
          window.status(rpm, tpm));
    }
    throw RateLimitedException.windowFull(
        keyId,
        "tokens per min (TPM)",
        tpm,
        window.tokens(),
        tokens,
        tokenWait,
        window.status(rpm, tpm));
  }

  private Map<String, AttributeValue> readMinute(String keyId, long minute) {
    return table.get("read the window of " + keyId, NetworkKeys.minute(keyId, minute));
  }

  /** DynamoDB's TTL, in epoch seconds: a few minutes after {@code lastUseMs}. */
  private static long expiry(long lastUseMs) {
    return lastUseMs / 1000 + KEEP_AFTER_USE_SECONDS;
  }
}
