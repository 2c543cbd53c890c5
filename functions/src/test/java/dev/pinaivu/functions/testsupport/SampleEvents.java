package dev.pinaivu.functions.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's {@code events/}: sample AWS events the handlers' tests load. */
public final class SampleEvents {
  private static final Path DIR = find();

  private SampleEvents() {}

  /** {@code events/<name>}, e.g. {@code api/get-usage.json}, as a path the loaders take. */
  public static String path(String name) {
    return DIR.resolve(name).toString();
  }

  private static Path find() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("events");
      if (Files.isRegularFile(candidate.resolve("README.md"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no events/ above " + Path.of("").toAbsolutePath());
  }
}
