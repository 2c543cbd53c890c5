package dev.pinaivu.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's wire shape, member for member, and that it reads back equal. */
class UsagePageJsonTest {
  private static final Tally ONE =
      Tally.ZERO.plus(new ReceiptFigures(RequestId.next(), "key_1", "m", 0, 10, 20, 123));

  private static final UsagePage PAGE =
      UsagePage.of(
          List.of(
              new UsageBucket(
                  UsageBucket.OBJECT,
                  1_700_000_000,
                  1_700_086_400,
                  List.of(UsageResult.of("m", null, ONE))),
              new UsageBucket(UsageBucket.OBJECT, 1_700_086_400, 1_700_090_000, List.of())),
          UsageTotals.of(ONE));

  @Test
  void page_isWrittenInOpenAiUsageShape_withTotals() {
    assertThat(Json.text(PAGE))
        .isEqualTo(
            "{\"object\":\"page\",\"data\":["
                + "{\"object\":\"bucket\",\"start_time\":1700000000,\"end_time\":1700086400,"
                + "\"results\":[{\"object\":\"usage.result\",\"model\":\"m\",\"key_id\":null,"
                + "\"num_model_requests\":1,\"input_tokens\":10,\"output_tokens\":20,"
                + "\"cost_micros\":123,\"cost_usd\":\"0.000123\"}]},"
                + "{\"object\":\"bucket\",\"start_time\":1700086400,\"end_time\":1700090000,"
                + "\"results\":[]}],"
                + "\"has_more\":false,\"next_page\":null,"
                + "\"totals\":{\"num_model_requests\":1,\"input_tokens\":10,\"output_tokens\":20,"
                + "\"cost_micros\":123,\"cost_usd\":\"0.000123\"}}");
  }

  @Test
  void page_readsBackEqual() throws Exception {
    assertThat(Json.MAPPER.readValue(Json.text(PAGE), UsagePage.class)).isEqualTo(PAGE);
  }
}
