package dev.pinaivu.gateway;

import dev.pinaivu.core.files.OwnerOnlyFiles;
import dev.pinaivu.core.secrets.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@link Secrets} as files of the data directory, one per name, owner-only (0600 in a 0700
 * directory, {@link DataDir}): a missing one is made on first use, and a process racing another to
 * make it keeps whichever landed first. Read once per process.
 */
public final class DataDirSecrets implements Secrets {
  private final Path dir;
  private final Map<String, String> loaded = new ConcurrentHashMap<>();

  public DataDirSecrets(Path dir) {
    this.dir = dir;
  }

  @Override
  public String secret(String name, Supplier<String> fresh) {
    Secrets.requireName(name);
    return loaded.computeIfAbsent(name, n -> readOrMake(dir.resolve(n), fresh));
  }

  @Override
  public String where(String name) {
    return dir.resolve(Secrets.requireName(name)).toString();
  }

  private static String readOrMake(Path file, Supplier<String> fresh) {
    try {
      try {
        return read(file);
      } catch (NoSuchFileException e) {
        OwnerOnlyFiles.createWith(
            file, (fresh.get().strip() + "\n").getBytes(StandardCharsets.UTF_8));
        return read(file); // ours, or the one another process made first
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the secret " + file, e);
    }
  }

  private static String read(Path file) throws IOException {
    String value = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (value.isEmpty()) {
      throw new IllegalStateException("the secret file " + file + " is empty");
    }
    return value;
  }

  @Override
  public String toString() {
    return "DataDirSecrets[" + dir + "]";
  }
}
