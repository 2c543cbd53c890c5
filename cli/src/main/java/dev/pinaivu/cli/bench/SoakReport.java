package dev.pinaivu.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The soak's findings as Markdown, for BENCHMARKS.md: clients, nodes, books, memory. */
final class SoakReport {
  /** What the clients saw, how many times a node was killed, and how long it all ran. */
  record Run(List<SoakClient.Outcome> outcomes, int kills, double seconds) {}

  private final int clients;
  private final int firstOutputSeconds;
  private final int answerSeconds;
  private final double minSuccess;

  SoakReport(int clients, int firstOutputSeconds, int answerSeconds, double minSuccess) {
    this.clients = clients;
    this.firstOutputSeconds = firstOutputSeconds;
    this.answerSeconds = answerSeconds;
    this.minSuccess = minSuccess;
  }

  /** Complete answers over the requests honest clients made (streamed and whole). */
  static double honestSuccess(List<SoakClient.Outcome> outcomes) {
    long asked = 0;
    long answered = 0;
    for (SoakClient.Outcome o : outcomes) {
      if (o.kind() == SoakClient.Kind.STREAMED || o.kind() == SoakClient.Kind.WHOLE) {
        asked++;
        answered += o.complete() ? 1 : 0;
      }
    }
    return asked == 0 ? 0 : (double) answered / asked;
  }

  String markdown(
      Run run,
      SoakBooks.Findings books,
      JsonNode nodeList,
      SoakNodes nodes,
      Map<String, Long> rss) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Soak: %.0f s, %d clients; nodes: %s; an honest node killed -9 and restarted %d"
                + " times; first-output deadline %d s, answer deadline %d s.%n%n",
            run.seconds(),
            clients,
            nodeCounts(nodes),
            run.kills(),
            firstOutputSeconds,
            answerSeconds));
    out.append("| client | requests | answered whole | HTTP status (count) | errors (code: count)")
        .append(" | TTFT p50 | TTFT p99 | TTFT max | total p50 | total p99 | total max |\n")
        .append("| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (SoakClient.Kind kind : SoakClient.Kind.values()) {
      out.append(row(kind, run.outcomes()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nHonest requests answered whole: **%.2f%%** (bound: %.0f%%).%n",
            100 * honestSuccess(run.outcomes()),
            100 * minSuccess));
    out.append(
        "\nReceipts of the answers clients saw whole, by the kind of node that served them: ");
    out.append(books.receiptsByKind()).append(".\n");
    out.append(
        String.format(
            Locale.ROOT,
            "Lying nodes: claimed %,d completion tokens, billed %,d (%d receipts capped).%n",
            books.lyingClaimedTokens(),
            books.lyingBilledTokens(),
            books.lyingCapped()));
    out.append("\n| node | phase | reputation | quarantines | jobs ok | failed | overclaimed |\n")
        .append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (JsonNode n : nodeList.path("data")) {
      SoakNodes.Node node = nodes.byId(n.path("node_id").asText());
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.3f | %d | %d | %d | %d |%n",
              node == null ? n.path("node_id").asText() : node.name(),
              n.path("phase").asText(),
              n.path("reputation").asDouble(),
              n.path("quarantines").asInt(),
              n.path("jobs").path("succeeded").asLong(),
              n.path("jobs").path("failed").asLong(),
              n.path("jobs").path("overclaimed").asLong()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nBooks: debited %,d µUSD; the usage report says %,d µUSD over %,d receipts; balance"
                + " now %,d µUSD. %s%n",
            books.debitMicros(),
            books.usageCostMicros(),
            books.usageRequests(),
            books.balanceMicros(),
            books.problems().isEmpty() ? "**They hold.**" : "**Broken:** " + books.problems()));
    out.append("\nResident memory at the end: ").append(rss).append(" (MB).\n");
    return out.toString();
  }

  private static String nodeCounts(SoakNodes nodes) {
    Map<String, Integer> counts = new TreeMap<>();
    for (SoakNodes.Node n : nodes.all) {
      counts.merge(n.kind.label(), 1, Integer::sum);
    }
    return counts.toString();
  }

  private static String row(SoakClient.Kind kind, List<SoakClient.Outcome> outcomes) {
    Histogram ttft = new Histogram(3);
    Histogram total = new Histogram(3);
    Map<Integer, Integer> statuses = new TreeMap<>();
    Map<String, Integer> errors = new TreeMap<>();
    long n = 0;
    long whole = 0;
    for (SoakClient.Outcome o : outcomes) {
      if (o.kind() != kind) {
        continue;
      }
      n++;
      whole += o.complete() ? 1 : 0;
      statuses.merge(o.status(), 1, Integer::sum);
      if (o.error() != null) {
        errors.merge(o.error(), 1, Integer::sum);
      }
      if (o.ttftNanos() >= 0) {
        ttft.recordValue(o.ttftNanos());
      }
      total.recordValue(o.totalNanos());
    }
    return String.format(
        Locale.ROOT,
        "| %s | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
        kind.name().toLowerCase(Locale.ROOT).replace('_', ' '),
        n,
        whole,
        statuses,
        errors.isEmpty() ? "none" : errors,
        ms(ttft, 50),
        ms(ttft, 99),
        ms(ttft, 100),
        ms(total, 50),
        ms(total, 99),
        ms(total, 100));
  }

  private static String ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f ms", h.getValueAtPercentile(percentile) / 1e6);
  }

  static Map<String, Long> rss(Process gateway, Process coordinator, SoakNodes nodes) {
    Map<String, Long> out = new TreeMap<>();
    out.put("gateway", rssMb(gateway));
    out.put("coordinator", rssMb(coordinator));
    for (SoakNodes.Node n : nodes.all) {
      out.put(n.name(), rssMb(n.process()));
    }
    return out;
  }

  /** A process's resident set in MB (Linux /proc), or -1. */
  private static long rssMb(Process p) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or gone
    }
    return -1;
  }
}
