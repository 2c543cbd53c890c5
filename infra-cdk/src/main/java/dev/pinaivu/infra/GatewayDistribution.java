package dev.pinaivu.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * The gateway as the parent instance runs it: {@code pinaivu.jar} and {@code lib/*.jar}, staged at
 * synth into a fresh directory that becomes one zip asset. Only the jars: {@code cli/target} also
 * holds classes and reports, which would change the asset (and so replace the instance) for
 * nothing.
 */
final class GatewayDistribution {

  private GatewayDistribution() {}

  /** The zip asset of the jars beside and below {@code jar} (validated by CoordinatorProps). */
  static Asset asset(Construct scope, String id, Path jar) {
    return Asset.Builder.create(scope, id).path(stage(jar).toString()).build();
  }

  /** A new temporary directory holding {@code pinaivu.jar} and {@code lib/*.jar}. */
  static Path stage(Path jar) {
    try {
      Path dir = Files.createTempDirectory("pinaivu-gateway");
      Path lib = Files.createDirectory(dir.resolve("lib"));
      // deleteOnExit runs in reverse order: files first, then lib, then dir
      dir.toFile().deleteOnExit();
      lib.toFile().deleteOnExit();
      copy(jar, dir.resolve("pinaivu.jar"));
      for (Path library : libraries(jar.resolveSibling("lib"))) {
        copy(library, lib.resolve(library.getFileName()));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage the gateway from " + jar, e);
    }
  }

  private static List<Path> libraries(Path lib) throws IOException {
    try (Stream<Path> files = Files.list(lib)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
          .sorted()
          .toList();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to);
    to.toFile().deleteOnExit();
  }
}
