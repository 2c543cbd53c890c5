package dev.pinaivu.cli.bench;

import java.util.Locale;

/** The benchmark's findings as markdown tables. */
final class Report {
  private final StringBuilder latency = new StringBuilder();
  private final StringBuilder other = new StringBuilder();

  Report(int replyTokens, int pacedTtftMs, int pacedTokenMs) {
    latency.append(
        String.format(
            Locale.ROOT,
            "Answers of %d tokens. *Unpaced*: the upstream answers at once, so the added figures are"
                + " pure overhead and concurrency 64 saturates the machine. *Paced*: the upstream"
                + " takes %d ms to its first token and %d ms per token, like a GPU serving a small"
                + " model.%n%n"
                + "| upstream | concurrency | measure | direct p50 | direct p99 | via network p50 | via network p99 | added p50 | added p99 | errors |%n"
                + "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |%n",
            replyTokens,
            pacedTtftMs,
            pacedTokenMs));
  }

  void latency(
      String upstream,
      int concurrency,
      String measure,
      LoadDriver.Result direct,
      LoadDriver.Result network) {
    latency.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | **%.2f ms** | **%.2f ms** | %d |%n",
            upstream,
            concurrency,
            measure,
            direct.p50Ms(),
            direct.p99Ms(),
            network.p50Ms(),
            network.p99Ms(),
            network.p50Ms() - direct.p50Ms(),
            network.p99Ms() - direct.p99Ms(),
            direct.errors() + network.errors()));
  }

  void saturation(LoadDriver.Result direct, LoadDriver.Result network) {
    other.append(
        String.format(
            Locale.ROOT,
            "%nSaturation (64 closed-loop clients, non-streaming, unpaced): direct **%.0f req/s**,"
                + " via network **%.0f req/s** (errors: %d).%n",
            direct.perSecond(),
            network.perSecond(),
            direct.errors() + network.errors()));
  }

  void cpu(
      double gatewayMicrosPerRequest,
      double nodeMicrosPerRequest,
      double coordinatorMicrosPerRequest) {
    other.append(
        String.format(
            Locale.ROOT,
            "CPU per request at saturation: gateway %.0f µs, node agent %.0f µs, coordinator %.0f"
                + " µs.%n",
            gatewayMicrosPerRequest,
            nodeMicrosPerRequest,
            coordinatorMicrosPerRequest));
  }

  void streams(
      int count,
      int tokens,
      int tokenMs,
      LoadDriver.Result direct,
      LoadDriver.Result network,
      long peakThreads) {
    other.append(
        String.format(
            Locale.ROOT,
            "%n%d concurrent streams (%d tokens at %d ms each, about %.1f s per stream):%n%n"
                + "| | completed | failed | time to first token p50 | p99 |%n"
                + "| --- | ---: | ---: | ---: | ---: |%n"
                + "| direct | %d | %d | %.1f ms | %.1f ms |%n"
                + "| via network | %d | %d | %.1f ms | %.1f ms |%n%n"
                + "Peak gateway JVM threads during the run: %d.%n",
            count,
            tokens,
            tokenMs,
            tokens * tokenMs / 1000.0,
            direct.latencyNanos().getTotalCount(),
            direct.errors(),
            direct.p50Ms(),
            direct.p99Ms(),
            network.latencyNanos().getTotalCount(),
            network.errors(),
            network.p50Ms(),
            network.p99Ms(),
            peakThreads));
  }

  void settlement(LoadDriver.Result receiptDelay, LoadDriver.Result dispatch) {
    other.append(
        String.format(
            Locale.ROOT,
            "%nOn the request path, one dispatch token from the coordinator process (TCP loopback):"
                + " p50 %.3f ms, p99 %.3f ms. Off the path, the receipt is stored and the money"
                + " moved %.2f ms (p50) / %.2f ms (p99) after the client's last byte (%d requests,"
                + " errors %d).%n",
            dispatch.p50Ms(),
            dispatch.p99Ms(),
            receiptDelay.p50Ms(),
            receiptDelay.p99Ms(),
            receiptDelay.latencyNanos().getTotalCount(),
            receiptDelay.errors()));
  }

  String markdown() {
    return latency + other.toString();
  }
}
