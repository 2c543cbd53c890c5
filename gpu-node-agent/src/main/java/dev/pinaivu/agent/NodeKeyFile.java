package dev.pinaivu.agent;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.files.OwnerOnlyFiles;
import dev.pinaivu.core.node.NodeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's Ed25519 key on disk: {@code DIR/node.key}, the base64url seed, 0600 in a 0700
 * directory (an older, looser directory or key is tightened at start). Created on first start; the
 * node id derives from it, so losing it means a new identity.
 */
public final class NodeKeyFile {
  public static final String FILE = "node.key";

  private NodeKeyFile() {}

  public static NodeKey loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    OwnerOnlyFiles.createDirectories(dataDir);
    OwnerOnlyFiles.tighten(dataDir);
    if (Files.exists(file)) {
      OwnerOnlyFiles.tighten(file);
      byte[] seed = B64.decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
      return new NodeKey(Ed25519.PrivateKey.fromSeed(seed));
    }
    NodeKey key = NodeKey.generate();
    OwnerOnlyFiles.write(file, (B64.encode(key.seed()) + "\n").getBytes(StandardCharsets.US_ASCII));
    return key;
  }
}
