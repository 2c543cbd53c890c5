package dev.pinaivu.gateway;

import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.files.OwnerOnlyFiles;
import dev.pinaivu.core.id.Ulid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The development key that {@code ./pinaivu up} prints: created on first start, kept in {@code
 * DIR/dev-api-key} (owner-only permissions) and reused while the store still knows it.
 */
public final class DevApiKey {
  public static final String FILE = "dev-api-key";
  public static final String ACCOUNT = "acct_dev";

  private DevApiKey() {}

  public static ApiKey ensure(Path dataDir, ApiKeyStore store, Clock clock) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        ApiKey existing = ApiKey.parse(Files.readString(file, StandardCharsets.US_ASCII).strip());
        if (existing != null
            && store.findByHash(existing.hash()).map(ApiKeyRecord::active).orElse(false)) {
          return existing;
        }
      }
      ApiKey key = ApiKey.generate();
      store.insert(
          new ApiKeyRecord(
              "key_" + Ulid.next(),
              "development key",
              ACCOUNT,
              key.hash(),
              key.hint(),
              clock.millis(),
              null));
      OwnerOnlyFiles.write(file, (key.reveal() + "\n").getBytes(StandardCharsets.US_ASCII));
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the development key in " + file, e);
    }
  }
}
