package dev.pinaivu.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.Usage;
import org.junit.jupiter.api.Test;

class ChargeTest {
  private static final TokenPrice PRICE = new TokenPrice(150_000, 600_000);

  @Test
  void of_knownValues_followTheDocumentedRule() {
    // (1000 * 150000 + 500 * 600000) / 1e6 = 450 exactly; 2.5% of 450 = 11.25 -> 12
    Charge charge = Charge.of(Usage.of(1000, 500), PRICE, new FeePolicy(250));

    assertThat(charge.nodeAmount()).isEqualTo(450);
    assertThat(charge.fee()).isEqualTo(12);
    assertThat(charge.totalCharged()).isEqualTo(462);
    assertThat(charge.currency()).isEqualTo("USD");
    assertThat(charge.unit()).isEqualTo("micro_usd");
    assertThat(charge.price()).isEqualTo(PRICE);
    assertThat(charge.feeBps()).isEqualTo(250);
  }

  @Test
  void nodeAmount_roundsUpOnlyWhenThereIsARemainder() {
    TokenPrice onePerMillion = new TokenPrice(1, 1);

    assertThat(Charge.nodeAmount(Usage.of(1, 0), onePerMillion)).isEqualTo(1);
    assertThat(Charge.nodeAmount(Usage.of(1_000_000, 0), onePerMillion)).isEqualTo(1);
    assertThat(Charge.nodeAmount(Usage.of(1_000_000, 1), onePerMillion)).isEqualTo(2);
    assertThat(Charge.nodeAmount(Usage.of(999_999, 1), onePerMillion)).isEqualTo(1);
    assertThat(Charge.nodeAmount(Usage.of(0, 0), PRICE)).isZero();
  }

  @Test
  void fee_roundsUpAndIsZeroOnlyWhenTheRateOrAmountIs() {
    assertThat(new FeePolicy(1).feeOn(1)).isEqualTo(1);
    assertThat(new FeePolicy(1).feeOn(10_000)).isEqualTo(1);
    assertThat(new FeePolicy(1).feeOn(10_001)).isEqualTo(2);
    assertThat(new FeePolicy(0).feeOn(1_000_000)).isZero();
    assertThat(new FeePolicy(10_000).feeOn(123)).isEqualTo(123);
    assertThat(new FeePolicy(500).feeOn(0)).isZero();
  }

  @Test
  void of_zeroPrices_chargeNothing() {
    Charge charge = Charge.of(Usage.of(5000, 5000), TokenPrice.FREE, new FeePolicy(1000));

    assertThat(charge.nodeAmount()).isZero();
    assertThat(charge.fee()).isZero();
    assertThat(charge.totalCharged()).isZero();
  }

  @Test
  void of_whenAProductOverflows64Bits_refuses() {
    Usage huge = Usage.of(Long.MAX_VALUE / 2, 0);

    assertThatThrownBy(() -> Charge.of(huge, PRICE, FeePolicy.NONE))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("overflows 64-bit");
  }

  @Test
  void amounts_beyondWhatJsonCarriesExactly_areRefused() {
    assertThatThrownBy(() -> new Charge("USD", "micro_usd", 0, 0, 1L << 53, 0, 0, 1L << 53))
        .hasMessageContaining("2^53");
  }

  @Test
  void feePolicy_outsideZeroToTenThousandBps_isRefused() {
    assertThatThrownBy(() -> new FeePolicy(-1)).hasMessageContaining("0..10000");
    assertThatThrownBy(() -> new FeePolicy(10_001)).hasMessageContaining("0..10000");
  }

  @Test
  void constructor_refusesOtherCurrenciesAndNegativeAmounts() {
    assertThatThrownBy(() -> new Charge("EUR", "micro_usd", 1, 1, 1, 0, 0, 1))
        .hasMessageContaining("currency");
    assertThatThrownBy(() -> new Charge("USD", "cents", 1, 1, 1, 0, 0, 1))
        .hasMessageContaining("unit");
    assertThatThrownBy(() -> new Charge("USD", "micro_usd", 1, 1, -1, 0, 0, 1))
        .hasMessageContaining("node_amount");
  }

  @Test
  void mismatchFor_namesTheFirstAmountThatDoesNotAddUp() {
    Usage billed = Usage.of(1000, 500);
    Charge right = Charge.of(billed, PRICE, new FeePolicy(250));

    assertThat(right.mismatchFor(billed)).isEmpty();
    assertThat(withAmounts(right, 451, 12, 463).mismatchFor(billed))
        .hasValueSatisfying(r -> assertThat(r).startsWith("charge.node_amount 451 != ceil("));
    assertThat(withAmounts(right, 450, 11, 461).mismatchFor(billed))
        .hasValue("charge.fee 11 != ceil(node_amount 450 * fee_bps 250 / 10000) = 12");
    assertThat(withAmounts(right, 450, 12, 470).mismatchFor(billed))
        .hasValue("charge.total_charged 470 != node_amount 450 + fee 12 = 462");
    assertThat(right.mismatchFor(Usage.of(1000, 501))).isPresent();
  }

  @Test
  void json_roundTrips() throws Exception {
    Charge charge = Charge.of(Usage.of(12, 7), PRICE, new FeePolicy(500));
    String json = Json.text(charge);

    assertThat(json)
        .isEqualTo(
            "{\"currency\":\"USD\",\"unit\":\"micro_usd\",\"input_micros_per_mtok\":150000,"
                + "\"output_micros_per_mtok\":600000,\"node_amount\":6,\"fee_bps\":500,\"fee\":1,"
                + "\"total_charged\":7}");
    assertThat(Json.MAPPER.readValue(json, Charge.class)).isEqualTo(charge);
  }

  private static Charge withAmounts(Charge c, long node, long fee, long total) {
    return new Charge(
        c.currency(),
        c.unit(),
        c.inputMicrosPerMtok(),
        c.outputMicrosPerMtok(),
        node,
        c.feeBps(),
        fee,
        total);
  }
}
