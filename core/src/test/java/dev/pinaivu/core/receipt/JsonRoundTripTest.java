package dev.pinaivu.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.json.Json;
import org.junit.jupiter.api.Test;

/** Every wire record reads back equal from the JSON it writes. */
class JsonRoundTripTest {
  private static <T> void assertRoundTrips(T value, Class<T> type) throws Exception {
    assertThat(Json.MAPPER.readValue(Json.text(value), type)).isEqualTo(value);
  }

  @Test
  void dispatchToken() throws Exception {
    assertRoundTrips(Fixtures.token(), DispatchToken.class);
  }

  @Test
  void proofOfInference() throws Exception {
    assertRoundTrips(Fixtures.proof(), ProofOfInference.class);
  }

  @Test
  void signedProof() throws Exception {
    assertRoundTrips(SignedProof.sign(Fixtures.proof(), Fixtures.NODE), SignedProof.class);
  }

  @Test
  void receipt() throws Exception {
    assertRoundTrips(Fixtures.receipt(), Receipt.class);
  }

  @Test
  void signedReceipt_withAndWithoutLog() throws Exception {
    SignedReceipt signed = Fixtures.signed();

    assertRoundTrips(signed, SignedReceipt.class);
    assertRoundTrips(signed.withLog(Json.object().put("leaf_index", 3)), SignedReceipt.class);
    assertThat(signed.json()).doesNotContain("\"log\"");
  }

  @Test
  void outcome_usesLowerCaseNames() throws Exception {
    assertThat(Json.text(Outcome.CANCELLED)).isEqualTo("\"cancelled\"");
    assertThat(Json.MAPPER.readValue("\"failed\"", Outcome.class)).isEqualTo(Outcome.FAILED);
  }

  @Test
  void token_writesItsLimitsFeeAndSettleWindow() {
    String json = Json.text(Fixtures.token());

    assertThat(json)
        .contains("\"max_prompt_tokens\":404")
        .contains("\"max_completion_tokens\":256")
        .contains("\"fee_bps\":500")
        .contains("\"offer_sha256\":\"" + Fixtures.offer().sha256() + "\"")
        .contains("\"settle_by_ms\":");
  }
}
