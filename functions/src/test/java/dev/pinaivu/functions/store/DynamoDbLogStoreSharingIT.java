package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.DynamoDbLogStoreFencingIT.checkpoint;
import static dev.pinaivu.functions.store.DynamoDbLogStoreFencingIT.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.functions.testsupport.Dynalite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One table, several store instances and several logs; and what the store refuses. */
class DynamoDbLogStoreSharingIT {
  private static final DynamoDbClient DYNAMO = Dynalite.shared().client();
  private static final String LOG = "test.pinaivu.dev/log";

  private String table;

  @BeforeEach
  void createTable() {
    table = Dynalite.uniqueTableName("sharing");
    DynamoDbLogStore.createTable(DYNAMO, table);
  }

  @Test
  void twoInstancesOnOneLog_seeTheSameLog() {
    DynamoDbLogStore one = new DynamoDbLogStore(DYNAMO, table, LOG);
    DynamoDbLogStore other = new DynamoDbLogStore(DYNAMO, table, LOG);
    one.append(entry("a0"));
    SignedCheckpoint checkpoint = checkpoint(3);

    other.extend(1, List.of(entry("a1"), entry("a2")), checkpoint);

    assertThat(one.leafData(2)).isEqualTo(entry("a2")); // beyond the size this instance last saw
    assertThat(one.size()).isEqualTo(3);
    assertThat(one.indexOf(Hash.leaf(entry("a1")))).hasValue(1);
    assertThat(one.latestCheckpoint()).contains(checkpoint);
    assertThat(other.leafData(0)).isEqualTo(entry("a0"));
  }

  @Test
  void twoLogsInOneTable_areIndependent() {
    DynamoDbLogStore a = new DynamoDbLogStore(DYNAMO, table, "a.example/log");
    DynamoDbLogStore b = new DynamoDbLogStore(DYNAMO, table, "b.example/log");
    a.append(entry("only in a"));
    a.saveCheckpoint(checkpoint(1));

    assertThat(b.size()).isZero();
    assertThat(b.indexOf(Hash.leaf(entry("only in a")))).isEmpty();
    assertThat(b.latestCheckpoint()).isEmpty();
    assertThat(b.append(entry("only in b"))).isZero();
    assertThat(a.leafData(0)).isEqualTo(entry("only in a"));
    assertThat(b.leafData(0)).isEqualTo(entry("only in b"));
  }

  @Test
  void appends_fromTwoInstancesAtOnce_getDistinctConsecutiveIndices() throws Exception {
    List<DynamoDbLogStore> stores =
        List.of(new DynamoDbLogStore(DYNAMO, table, LOG), new DynamoDbLogStore(DYNAMO, table, LOG));
    int perWriter = 25;
    Map<Long, byte[]> byIndex = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        DynamoDbLogStore store = stores.get(w % 2);
        int writer = w;
        writers.add(
            pool.submit(() -> {
              for (int i = 0; i < perWriter; i++) {
                byte[] entry = entry(writer + "/" + i);
                assertThat(byIndex.put(store.append(entry), entry)).isNull();
              }
              return null;
            }));
      }
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(stores.get(0).size()).isEqualTo(4 * perWriter);
    assertThat(byIndex).hasSize(4 * perWriter);
    byIndex.forEach((index, entry) -> assertThat(stores.get(1).leafData(index)).isEqualTo(entry));
  }

  @Test
  void entryTooLargeForAnItem_isRefusedWithNothingWritten() {
    DynamoDbLogStore store = new DynamoDbLogStore(DYNAMO, table, LOG);
    byte[] tooLarge = new byte[DynamoDbLogStore.MAX_ENTRY_BYTES + 1];

    assertThatThrownBy(() -> store.extend(0, List.of(entry("a0"), tooLarge), checkpoint(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.append(tooLarge)).isInstanceOf(IllegalArgumentException.class);

    assertThat(DYNAMO.scan(b -> b.tableName(table)).count()).isZero();
  }

  @Test
  void entryOfTheLargestSize_isStored() {
    DynamoDbLogStore store = new DynamoDbLogStore(DYNAMO, table, LOG);
    byte[] largest = new byte[DynamoDbLogStore.MAX_ENTRY_BYTES];
    largest[largest.length - 1] = 7;

    store.append(largest);

    assertThat(store.leafData(0)).isEqualTo(largest);
  }

  @Test
  void logName_withTheKeySeparator_isRefused() {
    assertThatThrownBy(() -> new DynamoDbLogStore(DYNAMO, table, "a#leaf"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailingCall_isALogStoreExceptionNamingTheOperation() {
    DynamoDbLogStore store = new DynamoDbLogStore(DYNAMO, "no-such-table", LOG);

    assertThatThrownBy(store::size)
        .isInstanceOf(LogStoreException.class)
        .isNotInstanceOf(SdkException.class)
        .hasMessageContaining("read the size");
  }
}
