package dev.pinaivu.gateway.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.LogIntegrityException;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.core.translog.LogStoreContract;
import dev.pinaivu.core.translog.NoteSigner;
import dev.pinaivu.core.translog.TransparencyLog;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLogStoreTest extends LogStoreContract {
  private static final String ORIGIN = "test.pinaivu.dev/log";
  private final NoteSigner signer = new NoteSigner(ORIGIN, Ed25519.PrivateKey.generate());
  private SqliteDatabase db;
  @TempDir Path dir;

  @Override
  protected LogStore newStore() {
    db = SqliteDatabase.open(dir.resolve("log.db"));
    return new SqliteLogStore(db);
  }

  @AfterEach
  void closeDatabase() {
    if (db != null) {
      db.close();
    }
  }

  private SqliteDatabase logOfFive() {
    SqliteDatabase file = SqliteDatabase.open(dir.resolve("tampered.db"));
    TransparencyLog log = new TransparencyLog(ORIGIN, new SqliteLogStore(file));
    for (int i = 0; i < 5; i++) {
      log.append(("receipt " + i).getBytes(UTF_8));
    }
    log.publishCheckpoint(signer);
    return file;
  }

  @Test
  void aLeafRewrittenInTheFile_isDetectedWhenItIsServed() {
    SqliteDatabase file = logOfFive();
    file.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement("UPDATE log_leaves SET entry = ?, leaf_hash = ? WHERE idx = 2")) {
        byte[] forged = "receipt 2, cheaper".getBytes(UTF_8);
        s.setBytes(1, forged);
        s.setBytes(2, Hash.leaf(forged).bytes());
        return s.executeUpdate();
      }
    });

    // the tree is read from its tiles, which still hold the signed leaf hash
    TransparencyLog reopened = new TransparencyLog(ORIGIN, new SqliteLogStore(file));
    assertThat(reopened.entry(1)).isEqualTo("receipt 1".getBytes(UTF_8));
    assertThatThrownBy(() -> reopened.entry(2))
        .isInstanceOf(LogIntegrityException.class)
        .hasMessageContaining("rewritten");
    file.close();
  }

  @Test
  void aLeafDeletedFromTheFile_isDetectedWhenTheLogOpens() {
    SqliteDatabase file = logOfFive();
    file.transaction(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM log_leaves WHERE idx = 4")) {
        return s.executeUpdate();
      }
    });

    assertThatThrownBy(() -> new TransparencyLog(ORIGIN, new SqliteLogStore(file)))
        .isInstanceOf(LogIntegrityException.class)
        .hasMessageContaining("deleted");
    file.close();
  }

  @Test
  void theLog_survivesReopeningTheFile() {
    SqliteDatabase file = logOfFive();
    Checkpoint signed = new SqliteLogStore(file).latestCheckpoint().orElseThrow().checkpoint();
    file.close();

    SqliteDatabase again = SqliteDatabase.open(dir.resolve("tampered.db"));
    TransparencyLog log = new TransparencyLog(ORIGIN, new SqliteLogStore(again));
    assertThat(log.root(5)).isEqualTo(signed.rootHash());
    again.close();
  }
}
