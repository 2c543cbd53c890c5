package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.n;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.limits.RateLimitStatus;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The slot counter's arithmetic, on items made by hand: no emulator. */
class SlotWindowTest {
  private static final long MINUTE = 30_000_000; // T0 = 1.8e12 ms
  private static final long START = MINUTE * 60_000;

  /** A minute's item with {@code requests} and {@code tokens} in {@code slot}. */
  private static Map<String, AttributeValue> minute(int slot, long requests, long tokens) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(SlotWindow.REQUESTS, n(requests));
    item.put(SlotWindow.TOKENS, n(tokens));
    item.put(SlotWindow.requestsOf(slot), n(requests));
    item.put(SlotWindow.tokensOf(slot), n(tokens));
    return item;
  }

  @Test
  void aSlot_countsUntilItsLastMillisecondIsAMinuteOld() {
    Map<String, AttributeValue> previous = minute(17, 2, 30); // [17 s, 18 s) of the minute before

    long lastCounting = START + 17_998; // its last ms, START - 42 001, is a minute old 1 ms later
    assertThat(SlotWindow.of(lastCounting, previous, null).requests()).isEqualTo(2);
    assertThat(SlotWindow.of(lastCounting, previous, null).previousTokens()).isEqualTo(30);
    assertThat(SlotWindow.of(lastCounting + 1, previous, null).requests()).isZero();
    assertThat(SlotWindow.of(lastCounting + 1, previous, null).tokens()).isZero();
  }

  @Test
  void waits_endWhenTheSlotLeaves_atMostTheLatenessAfterTheExactLeave() {
    Map<String, AttributeValue> current = minute(5, 1, 400); // a request in [5 s, 6 s)
    long now = START + 20_000;

    SlotWindow window = SlotWindow.of(now, null, current);

    // whenever in [5 s, 6 s) it came, it leaves at 65 s to 65.999 s: the counter says 65.999 s
    assertThat(window.untilRequestsFit(1)).isEqualTo(45_999);
    assertThat(window.untilTokensFit(0)).isEqualTo(45_999);
    assertThat(45_999 - 45_000).isEqualTo(SlotWindow.LATENESS_MS);
  }

  @Test
  void theSlotOfNow_leavesExactlyAMinuteFromNow() {
    long now = START + 12_345;
    Map<String, AttributeValue> current = minute(SlotWindow.slotOf(now), 1, 100);

    RateLimitStatus status = SlotWindow.of(now, null, current).status(3, 1000);

    assertThat(status.requestsResetMs()).isEqualTo(60_000);
    assertThat(status.tokensResetMs()).isEqualTo(60_000);
    assertThat(status.remainingRequests()).isEqualTo(2);
    assertThat(status.remainingTokens()).isEqualTo(900);
  }

  @Test
  void waits_walkTheSlotsOldestFirst_acrossTheMinuteBoundary() {
    Map<String, AttributeValue> previous = minute(50, 3, 300);
    Map<String, AttributeValue> current = minute(2, 2, 200);
    long now = START + 10_000;

    SlotWindow window = SlotWindow.of(now, previous, current);

    assertThat(window.requests()).isEqualTo(5);
    assertThat(window.previousRequests()).isEqualTo(3);
    assertThat(window.untilRequestsFit(5)).isEqualTo(-10_000 + 50_999); // the old slot leaves
    assertThat(window.untilRequestsFit(2)).isEqualTo(60_000 + 2_999 - 10_000); // both must
    assertThat(window.untilTokensFit(250)).isEqualTo(50_999 - 10_000);
  }

  @Test
  void slotsAndMinutes_ofTimes() {
    assertThat(SlotWindow.minuteOf(START + 59_999)).isEqualTo(MINUTE);
    assertThat(SlotWindow.minuteOf(START + 60_000)).isEqualTo(MINUTE + 1);
    assertThat(SlotWindow.slotOf(START + 59_999)).isEqualTo(59);
    assertThat(SlotWindow.slotOf(START)).isZero();
    assertThat(SlotWindow.SLOTS).isEqualTo(60);
  }
}
