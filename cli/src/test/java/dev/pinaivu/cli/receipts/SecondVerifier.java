package dev.pinaivu.cli.receipts;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two verifiers side by side: {@code ./pinaivu receipts verify} (in process) and the one in
 * tools/receipt-verifier-js, written from the docs alone and run with {@code node}.
 */
public final class SecondVerifier {
  static final Path SCRIPT = Path.of("..", "tools", "receipt-verifier-js", "verify.mjs");

  private SecondVerifier() {}

  /** The line the Java verifier prints for {@code file} (stdout, or stderr when it exits 2). */
  public static String java(Path file, List<String> options) {
    List<String> args = new ArrayList<>(List.of("receipts", "verify", file.toString()));
    args.addAll(options);
    CliRun run = CliRun.pinaivu(args.toArray(String[]::new));
    return (run.out() + run.err()).strip();
  }

  /** The line the Node verifier prints for {@code file}. */
  public static String node(Path file, List<String> options) throws IOException {
    List<String> args = new ArrayList<>(List.of(file.toString()));
    args.addAll(options);
    return run(args).strip();
  }

  /** The Node verifier's line for every file of {@code dir}, by file name, in one process. */
  public static Map<String, String> nodeBatch(Path dir, List<String> options) throws IOException {
    List<String> args = new ArrayList<>(List.of("--batch", dir.toString()));
    args.addAll(options);
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : run(args).split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        lines.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    return lines;
  }

  private static String run(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString()));
    command.addAll(args);
    Path out = Files.createTempFile("second-verifier", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException("node " + SCRIPT + " did not finish in 5 minutes");
      }
      return Files.readString(out, UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Whether a line is a verdict of the same kind: both valid, or both invalid. */
  public static boolean sameVerdict(String a, String b) {
    return a.startsWith("valid: ") == b.startsWith("valid: ")
        && (a.startsWith("valid: ") || a.startsWith("invalid: "))
        && (b.startsWith("valid: ") || b.startsWith("invalid: "));
  }
}
