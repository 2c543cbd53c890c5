package dev.pinaivu.functions.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Node program a test starts on loopback: started with {@code node}, ready when a line of its
 * stdout matches, its stderr kept for the error message when it does not get there. Its stdin stays
 * open as a pipe; a program that exits on stdin's end then dies with the test JVM.
 */
final class NodeProcess {
  private static final long START_TIMEOUT_SECONDS = 30;

  private final String name;
  private final Process process;
  private final Matcher ready;

  private NodeProcess(String name, Process process, Matcher ready) {
    this.name = name;
    this.process = process;
    this.ready = ready;
  }

  /**
   * Runs {@code node arguments...} and waits for a stdout line matching {@code ready}.
   *
   * @throws IllegalStateException if it exits, or says nothing that matches within 30 s (the
   *     message carries its stderr)
   */
  static NodeProcess start(String name, List<String> arguments, Pattern ready) {
    long started = System.nanoTime();
    List<String> command = new ArrayList<>();
    command.add("node");
    command.addAll(arguments);
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run node (needed for " + name + "): " + e.getMessage());
    }
    CompletableFuture<Matcher> readyLine = new CompletableFuture<>();
    StringBuilder stderr = new StringBuilder();
    drain(
        name,
        process.getInputStream(),
        line -> {
          Matcher matcher = ready.matcher(line);
          if (matcher.find()) {
            readyLine.complete(matcher);
          }
        });
    Thread errors =
        drain(
            name,
            process.getErrorStream(),
            line -> {
              synchronized (stderr) {
                stderr.append(line).append('\n');
              }
            });
    process
        .onExit()
        .thenRun(() -> readyLine.completeExceptionally(new IllegalStateException("exited")));
    try {
      Matcher matcher = readyLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      System.err.printf(
          "%s ready in %d ms: %s%n",
          name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), matcher.group());
      return new NodeProcess(name, process, matcher);
    } catch (TimeoutException e) {
      throw failed(
          name, process, errors, "said nothing within " + START_TIMEOUT_SECONDS + " s", stderr);
    } catch (ExecutionException e) {
      throw failed(name, process, errors, "exited", stderr);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(name, process, errors, "was interrupted", stderr);
    }
  }

  /** The ready line's match, for the groups that name its port. */
  Matcher ready() {
    return ready;
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static IllegalStateException failed(
      String name, Process process, Thread errors, String what, StringBuilder stderr) {
    process.destroyForcibly();
    try {
      errors.join(1000); // the last lines of a process that exited
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (stderr) {
      return new IllegalStateException(
          name + " did not start: it " + what + "; stderr:\n" + stderr);
    }
  }

  private static Thread drain(String name, InputStream stream, Consumer<String> lines) {
    return Thread.ofPlatform()
        .daemon()
        .name(name + "-output")
        .start(() -> {
          try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
              lines.accept(line);
            }
          } catch (IOException e) {
            // the process is gone; nothing more to read
          }
        });
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
