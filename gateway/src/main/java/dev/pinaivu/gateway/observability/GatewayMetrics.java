package dev.pinaivu.gateway.observability;

import dev.pinaivu.gateway.nodes.NodeStats;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's metrics, in a Micrometer registry scraped in the Prometheus text format: requests
 * by route, status and model, their duration and time to first token as histograms, and gauges the
 * gateway registers for what it holds (live nodes, pending settlements, the log's size), plus the
 * JVM's own. Names are documented in ADR 24 and the README.
 */
public final class GatewayMetrics implements AutoCloseable {
  /** Distinct models named in labels at most; see {@link ModelLabels}. */
  static final int MAX_MODELS = 100;

  /** Bucket bounds for durations: from a quick error to the 10 minutes an SDK waits. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120),
    Duration.ofSeconds(300),
    Duration.ofSeconds(600)
  };

  private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ModelLabels models = new ModelLabels(MAX_MODELS);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final AccessLog accessLog = new AccessLog();
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

  public GatewayMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The registry, for meters the gateway's parts register themselves (see {@link NodeMetrics}). */
  MeterRegistry registry() {
    return registry;
  }

  /** Javalin's request logger: the access-log line and the request metrics of one request. */
  public void requestEnded(Context ctx, Float executionMs) {
    RequestRecord r = RequestRecord.of(ctx, executionMs == null ? 0 : executionMs);
    accessLog.record(r);
    record(r);
  }

  void record(RequestRecord r) {
    String model = models.label(r.model(), r.attempts() > 0);
    Counter.builder("pinaivu.requests")
        .description("HTTP requests answered, by route, status and model")
        .tags("route", r.route(), "status", Integer.toString(r.status()), "model", model)
        .register(registry)
        .increment();
    timer("pinaivu.request.duration", "Time from a request's arrival to its last byte")
        .tags("route", r.route(), "model", model)
        .register(registry)
        .record((long) (r.durationMs() * 1_000_000), TimeUnit.NANOSECONDS);
    if (r.ttftMs() != null) {
      timer("pinaivu.time.to.first.token", "Time from a chat request's arrival to its first byte")
          .tags("model", model, "stream", String.valueOf(Boolean.TRUE.equals(r.stream())))
          .register(registry)
          .record((long) (r.ttftMs() * 1_000_000), TimeUnit.NANOSECONDS);
    }
  }

  private static Timer.Builder timer(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS);
  }

  /** A gauge read at every scrape; a supplier that fails reads as NaN (and is logged). */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, () -> read(name, value)).description(description).register(registry);
  }

  /** A counter whose count {@code state} keeps, read at every scrape. */
  public <T> void counter(
      String name, String description, T state, ToDoubleFunction<T> count, String... tags) {
    FunctionCounter.builder(name, state, count)
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private static double read(String name, Supplier<Number> value) {
    try {
      return value.get().doubleValue();
    } catch (RuntimeException e) {
      log.warn("cannot read the metric {}: {}", name, e.getMessage());
      return Double.NaN;
    }
  }

  /** Per-node series of the nodes {@code live} lists at each scrape ({@link NodeMetrics}). */
  public void nodes(Supplier<List<NodeStats>> live) {
    NodeMetrics nodes = new NodeMetrics(registry, live);
    beforeScrape.add(nodes::refresh);
  }

  /** Everything, in the Prometheus text format. */
  public String scrape() {
    beforeScrape.forEach(Runnable::run);
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
