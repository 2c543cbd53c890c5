package dev.pinaivu.gateway.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.coordinator.CoordinatorServer;
import dev.pinaivu.core.coordinator.CoordinatorJob;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.LogSync;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.LogVerifier;
import dev.pinaivu.core.translog.ReceiptEvidence;
import dev.pinaivu.core.translog.TransparencyLog;
import dev.pinaivu.core.usage.StoredReceipt;
import dev.pinaivu.gateway.store.SqliteCoordinatorKeys;
import dev.pinaivu.gateway.store.SqliteDatabase;
import dev.pinaivu.gateway.store.SqliteLogStore;
import dev.pinaivu.gateway.store.SqliteReceiptStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The log ops over TCP, and a coordinator restarted behind a connected client. */
class TcpLogIT {
  private static final CoordinatorOptions OPTIONS = CoordinatorOptions.withFees(new FeePolicy(500));
  private static final ParentSecret SECRET = ParentSecret.generate();

  private static SignedReceipt settle(TcpCoordinator client) throws Exception {
    CoordinatorJob job = new CoordinatorJob();
    return client.settle(job.settleRequest(client.dispatch(job.dispatchRequest()))).orElseThrow();
  }

  @Test
  void aRestartedCoordinator_resumesTheLogOnReconnect_beforeItSettlesAnything() throws Exception {
    CoordinatorService first = CoordinatorService.dev(OPTIONS);
    CoordinatorServer server =
        CoordinatorServer.start(
            first, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SECRET);
    int port = server.port();
    try (SqliteDatabase db = SqliteDatabase.inMemory();
        TcpCoordinator client = new TcpCoordinator(server.address(), SECRET)) {
      TransparencyLog log =
          new TransparencyLog(CoordinatorOptions.DEFAULT_LOG_ORIGIN, new SqliteLogStore(db));
      LogSync sync = new LogSync(client, log);
      client.openLogOnConnect(sync::openOn);
      SignedReceipt one = settle(client);
      settle(client);
      sync.sync();
      Checkpoint before =
          new LogVerifier(List.of(first.identity()), CoordinatorOptions.DEFAULT_LOG_ORIGIN)
              .checkpoint(log.latestCheckpoint().orElseThrow().format());

      server.close();
      CoordinatorService second = CoordinatorService.dev(OPTIONS);
      server =
          CoordinatorServer.start(
              second, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SECRET);
      SignedReceipt after = settle(client);
      sync.sync();

      Checkpoint now =
          new LogVerifier(List.of(second.identity()), CoordinatorOptions.DEFAULT_LOG_ORIGIN)
              .checkpoint(log.latestCheckpoint().orElseThrow().format());
      assertThat(one.log().get("index").asLong()).isEqualTo(1);
      assertThat(after.log().get("index").asLong()).isEqualTo(before.treeSize() + 1);
      assertThat(KeyAnnouncement.parse(log.entry(before.treeSize())).orElseThrow().key())
          .isEqualTo(second.identity());
      assertThat(
              LogVerifier.consistency(
                      before, now, log.consistencyProof(before.treeSize(), now.treeSize()).path())
                  .accepted())
          .isTrue();
    } finally {
      server.close();
    }
  }

  @Test
  void receiptsLostInACoordinatorCrash_areLoggedAgain_whenTheClientReconnects() throws Exception {
    CoordinatorService first = CoordinatorService.dev(OPTIONS);
    CoordinatorServer server =
        CoordinatorServer.start(
            first, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SECRET);
    int port = server.port();
    try (SqliteDatabase db = SqliteDatabase.inMemory();
        TcpCoordinator client = new TcpCoordinator(server.address(), SECRET)) {
      SqliteReceiptStore receipts = new SqliteReceiptStore(db);
      TransparencyLog log =
          new TransparencyLog(CoordinatorOptions.DEFAULT_LOG_ORIGIN, new SqliteLogStore(db));
      LogSync sync = new LogSync(client, log, receipts::loggedFrom);
      client.openLogOnConnect(sync::openOn);
      List<SignedReceipt> settled = new ArrayList<>();
      settled.add(settle(client));
      sync.sync();
      settled.add(settle(client));
      settled.add(settle(client));
      for (SignedReceipt r : settled) {
        receipts.save(StoredReceipt.of("acct", "key", r));
      }

      server.close(); // the coordinator dies with two entries its parent never fetched
      CoordinatorService second = CoordinatorService.dev(OPTIONS);
      server =
          CoordinatorServer.start(
              second, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SECRET);
      settled.add(settle(client)); // reconnects: log_open, the lost receipts again, this settle
      sync.sync(); // stores everything

      ReceiptEvidence evidence = new ReceiptEvidence(log);
      LogVerifier verifier =
          new LogVerifier(
              List.of(first.identity(), second.identity()), CoordinatorOptions.DEFAULT_LOG_ORIGIN);
      for (SignedReceipt r : settled) {
        assertThat(verifier.inclusion(r.logEntry(), evidence.attach(r).log()).accepted())
            .as(r.toString())
            .isTrue();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void receiptsOfACoordinatorThatCrashedBeforeItsFirstCheckpoint_areLoggedAgain() throws Exception {
    CoordinatorServer server =
        CoordinatorServer.start(
            CoordinatorService.dev(OPTIONS),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            SECRET);
    int port = server.port();
    try (SqliteDatabase db = SqliteDatabase.inMemory();
        TcpCoordinator client = new TcpCoordinator(server.address(), SECRET)) {
      SqliteReceiptStore receipts = new SqliteReceiptStore(db);
      StoredLog stored =
          StoredLog.open(
              CoordinatorOptions.DEFAULT_LOG_ORIGIN,
              new SqliteLogStore(db),
              client,
              receipts,
              new SqliteCoordinatorKeys(db),
              Clock.systemUTC());
      server.close();
      CoordinatorService crashed = CoordinatorService.dev(OPTIONS);
      server = CoordinatorServer.start(crashed, server.address(), SECRET);
      List<SignedReceipt> lost = List.of(settle(client), settle(client)); // reconnects first
      for (SignedReceipt r : lost) {
        receipts.save(StoredReceipt.of("acct", "key", r));
      }

      server.close(); // dies before any sync stored its key announcement
      CoordinatorService next = CoordinatorService.dev(OPTIONS);
      server =
          CoordinatorServer.start(
              next, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SECRET);
      settle(client);
      stored.sync().sync();

      ReceiptEvidence evidence = new ReceiptEvidence(stored.log());
      LogVerifier verifier =
          new LogVerifier(
              List.of(crashed.identity(), next.identity()), CoordinatorOptions.DEFAULT_LOG_ORIGIN);
      for (SignedReceipt r : lost) {
        assertThat(verifier.inclusion(r.logEntry(), evidence.attach(r).log()).accepted())
            .as(r.toString())
            .isTrue();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void tokensOfCrashedCoordinators_areSettledByTheSuccessor_fromItsFirstCall() throws Exception {
    CoordinatorServer server =
        CoordinatorServer.start(
            CoordinatorService.dev(OPTIONS),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            SECRET);
    int port = server.port();
    try (SqliteDatabase db = SqliteDatabase.inMemory();
        TcpCoordinator client = new TcpCoordinator(server.address(), SECRET)) {
      StoredLog.open(
          CoordinatorOptions.DEFAULT_LOG_ORIGIN,
          new SqliteLogStore(db),
          client,
          new SqliteReceiptStore(db),
          new SqliteCoordinatorKeys(db),
          Clock.systemUTC());
      CoordinatorJob ofTheFirst = new CoordinatorJob(); // its key is under a stored checkpoint
      SignedDispatchToken firstToken = client.dispatch(ofTheFirst.dispatchRequest());
      server.close();
      server = CoordinatorServer.start(CoordinatorService.dev(OPTIONS), server.address(), SECRET);
      CoordinatorJob ofTheCrashed = new CoordinatorJob(); // no receipt of it is ever stored
      SignedDispatchToken crashedToken = client.dispatch(ofTheCrashed.dispatchRequest());

      server.close(); // dies before any sync stored its key announcement
      server =
          CoordinatorServer.start(
              CoordinatorService.dev(OPTIONS),
              new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
              SECRET);
      Verification<SignedReceipt> crashedsJob =
          client.settle(ofTheCrashed.settleRequest(crashedToken)); // the first call after it
      Verification<SignedReceipt> firstsJob = client.settle(ofTheFirst.settleRequest(firstToken));

      assertThat(crashedsJob.valid()).as(crashedsJob.reason()).isTrue();
      assertThat(firstsJob.valid()).as(firstsJob.reason()).isTrue();
    } finally {
      server.close();
    }
  }
}
