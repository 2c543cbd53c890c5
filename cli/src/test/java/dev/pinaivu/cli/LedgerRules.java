package dev.pinaivu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.SettlementResult;
import dev.pinaivu.core.openai.Usage;
import java.util.List;
import java.util.Map;

/**
 * The rules of the books check that hold for any deployment's ledger, the local gateway's ({@link
 * Books}) as the serverless one's ({@link ServerlessBooks}): what a test saw is added to {@code
 * broken}, one line per broken rule.
 */
final class LedgerRules {
  private LedgerRules() {}

  /**
   * Clients were debited exactly what nodes and the fee account were credited, and exactly what
   * {@code receipts} (signed receipt envelopes, {@code {"receipt": {...}}}, by request id) charged;
   * each receipt was settled once, for its amount, and settling it again changes nothing.
   */
  static void ledger(Ledger ledger, Map<String, JsonNode> receipts, List<String> broken) {
    LedgerTotals totals = ledger.totals();
    if (!totals.balanced()) {
      broken.add(
          String.format(
              "clients were debited %d µUSD but nodes were credited %d and fees %d (sum %d)",
              totals.clientDebitsMicros(),
              totals.nodeCreditsMicros(),
              totals.feesMicros(),
              totals.nodeCreditsMicros() + totals.feesMicros()));
    }
    long charged = 0;
    for (JsonNode r : receipts.values()) {
      charged += r.at("/receipt/charge/total_charged").asLong();
    }
    if (totals.clientDebitsMicros() != charged) {
      broken.add(
          String.format(
              "the ledger debited clients %d µUSD but the %d receipts charged %d µUSD",
              totals.clientDebitsMicros(), receipts.size(), charged));
    }
    for (Map.Entry<String, JsonNode> e : receipts.entrySet()) {
      long amount = e.getValue().at("/receipt/charge/total_charged").asLong();
      Settlement settled = ledger.settlement(RequestId.parse(e.getKey())).orElse(null);
      if (settled == null) {
        broken.add(e.getKey() + ": has a receipt charging " + amount + " µUSD but no settlement");
        continue;
      }
      if (settled.totalMicros() != amount) {
        broken.add(
            String.format(
                "%s: the ledger charged %d µUSD, the receipt %d µUSD",
                e.getKey(), settled.totalMicros(), amount));
      }
      SettlementResult again = ledger.settle(settled);
      if (again.status() != SettlementResult.Status.ALREADY_SETTLED) {
        broken.add(e.getKey() + ": settling it again gave " + again.status());
      }
    }
    if (!ledger.totals().equals(totals)) {
      broken.add(
          "settling the stored settlements again changed the ledger: "
              + totals
              + " -> "
              + ledger.totals());
    }
  }

  /**
   * The client of {@code requestId} was billed no more tokens than the usage its response showed
   * ({@code shown}), and the {@code usage.cost} it showed ({@code costMicros}, null for none) is
   * its receipt's charge.
   */
  static void shownUsage(
      String requestId, Usage shown, Long costMicros, JsonNode receipt, List<String> broken) {
    Usage billed = Usage.from(receipt.at("/receipt/billed_usage"));
    long charged = receipt.at("/receipt/charge/total_charged").asLong();
    if (costMicros != null && costMicros != charged) {
      broken.add(
          String.format(
              "%s: the response said it cost %d µUSD, its receipt charged %d",
              requestId, costMicros, charged));
    }
    if (billed.promptTokens() > shown.promptTokens()) {
      broken.add(
          String.format(
              "%s: the client was charged %d prompt tokens but shown %d",
              requestId, billed.promptTokens(), shown.promptTokens()));
    }
    if (billed.completionTokens() > shown.completionTokens()) {
      broken.add(
          String.format(
              "%s: the client was charged %d completion tokens but shown %d",
              requestId, billed.completionTokens(), shown.completionTokens()));
    }
  }
}
