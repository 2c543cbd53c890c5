package dev.pinaivu.agent;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.node.NodeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The node's Ed25519 key on disk: {@code DIR/node.key}, the base64url seed, readable by the owner
 * only. Created on first start; the node id derives from it, so losing it means a new identity.
 */
public final class NodeKeyFile {
  public static final String FILE = "node.key";

  private NodeKeyFile() {}

  public static NodeKey loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      byte[] seed = B64.decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
      return new NodeKey(Ed25519.PrivateKey.fromSeed(seed));
    }
    NodeKey key = NodeKey.generate();
    Files.createDirectories(dataDir);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, B64.encode(key.seed()) + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return key;
  }
}
