package dev.pinaivu.cli.receipts;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a network started by {@code pinaivu up} on this machine is: {@code up} writes its base URL
 * to {@link #URL_FILE} in its data directory, so the tools that talk to it need no {@code
 * --gateway} after {@code up --port}. Explicit flags still win.
 */
public final class LocalNetwork {
  /** The file, in the data directory, holding the running gateway's base URL. */
  public static final String URL_FILE = "gateway-url";

  /** The default data directory of {@code up} and {@code gateway}. */
  public static final String DEFAULT_DATA_DIR = ".pinaivu";

  static final URI DEFAULT_GATEWAY = URI.create("http://127.0.0.1:8080/v1");

  private LocalNetwork() {}

  /** Records where {@code up}'s gateway listens. */
  public static void write(Path dataDir, String baseUrl) throws IOException {
    Files.writeString(dataDir.resolve(URL_FILE), baseUrl + "\n", StandardCharsets.US_ASCII);
  }

  /**
   * Forgets where {@code up}'s gateway listened, as it stops, so that the tools do not name a
   * gateway that is gone; a file naming another URL (a newer {@code up}) is left alone.
   */
  public static void forget(Path dataDir, String baseUrl) {
    Path file = dataDir.resolve(URL_FILE);
    try {
      if (Files.isRegularFile(file)
          && Files.readString(file, StandardCharsets.US_ASCII).strip().equals(baseUrl)) {
        Files.delete(file);
      }
    } catch (IOException e) {
      // stopping anyway: a stale file only makes the tools name a gateway that is gone
    }
  }

  /** {@code explicit} when given, else the URL {@code up} wrote in {@code dataDir}, else :8080. */
  static URI gateway(URI explicit, Path dataDir) {
    if (explicit != null) {
      return explicit;
    }
    Path file = dataDir.resolve(URL_FILE);
    try {
      if (Files.isRegularFile(file)) {
        return URI.create(Files.readString(file, StandardCharsets.US_ASCII).strip());
      }
    } catch (IOException | IllegalArgumentException e) {
      // unreadable or garbled: fall back to the default, which the error then names
    }
    return DEFAULT_GATEWAY;
  }
}
