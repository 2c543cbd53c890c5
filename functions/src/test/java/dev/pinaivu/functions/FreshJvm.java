package dev.pinaivu.functions;

import dev.pinaivu.functions.runtime.RuntimeApiStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Benchmark code for {@link ColdStartBench}: one Lambda execution environment on this machine. A
 * fresh JVM runs one function against its own Runtime API stand-in; it is timed from the instant
 * before the process starts to its first {@code invocation/next} (init) and on to the end of its
 * first response (first invoke), then one more invocation while it is warm.
 */
final class FreshJvm {
  private static final Duration ANSWER = Duration.ofSeconds(120);

  /**
   * One function as the bench starts it.
   *
   * @param command java, its options, the class path, the runtime loop's main class and the handler
   * @param event a new event per invocation (a node's signed {@code $connect} is good only once)
   */
  record Function(
      String name,
      String loop,
      List<String> command,
      Map<String, String> env,
      Supplier<byte[]> event) {}

  /** Nanoseconds, and the first response's beginning (to see what the function answered). */
  record Sample(long initNanos, long firstInvokeNanos, long warmNanos, String firstResponse) {
    long coldNanos() {
      return initNanos + firstInvokeNanos;
    }
  }

  private FreshJvm() {}

  /**
   * Starts {@code function} in a new JVM with {@code taskRoot} as its working directory (where the
   * managed runtime starts it: {@code /var/task}), its output in {@code log}.
   *
   * @throws IllegalStateException when the function reports an error, exits or never answers
   */
  static Sample run(Function function, Path taskRoot, Path log) throws Exception {
    try (RuntimeApiStandIn api = new RuntimeApiStandIn()) {
      api.invoke("cold", function.event().get(), Map.of());
      ProcessBuilder builder =
          new ProcessBuilder(function.command())
              .directory(taskRoot.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.clear(); // only what Lambda would set, and the function's own variables
      env.putAll(function.env());
      env.put("AWS_LAMBDA_RUNTIME_API", api.address());
      long start = System.nanoTime();
      Process process = builder.start();
      try {
        RuntimeApiStandIn.Posted cold = await(api, "cold", process, log);
        long next = api.nextCallTimes().getFirst();
        long queued = System.nanoTime();
        api.invoke("warm", function.event().get(), Map.of());
        RuntimeApiStandIn.Posted warm = await(api, "warm", process, log);
        return new Sample(
            next - start,
            cold.endedNanos - next,
            warm.endedNanos - queued,
            beginning(cold.whole(ANSWER)));
      } finally {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** The whole response to {@code requestId}; fails as soon as the function errs or exits. */
  private static RuntimeApiStandIn.Posted await(
      RuntimeApiStandIn api, String requestId, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + ANSWER.toNanos();
    while (System.nanoTime() < deadline) {
      if (!api.otherCalls().isEmpty()) {
        throw new IllegalStateException(
            "the function reported " + api.otherCalls() + "; its output:\n" + tail(log));
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the function exited (" + process.exitValue() + "); its output:\n" + tail(log));
      }
      try {
        RuntimeApiStandIn.Posted posted = api.response(requestId, Duration.ofMillis(200));
        posted.whole(ANSWER);
        return posted;
      } catch (TimeoutException e) {
        // not yet: look again
      }
    }
    throw new IllegalStateException(
        "no response to " + requestId + " within " + ANSWER + "; its output:\n" + tail(log));
  }

  private static String beginning(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 90), StandardCharsets.UTF_8);
    return text.replaceAll("[^\\x20-\\x7e]", "·").replace("|", "\\|");
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
