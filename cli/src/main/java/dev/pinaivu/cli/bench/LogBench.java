package dev.pinaivu.cli.bench;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.ConsistencyProof;
import dev.pinaivu.core.translog.Frontier;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.InclusionProof;
import dev.pinaivu.core.translog.NoteSigner;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.core.translog.TransparencyLog;
import dev.pinaivu.gateway.store.SqliteDatabase;
import dev.pinaivu.gateway.store.SqliteLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The transparency log's throughput, one thread: appends in the coordinator (its frontier), the
 * parent storing entries with their checkpoint in SQLite (what a sync does), then inclusion and
 * consistency proofs served from the stored log and verified. Not a test: a main class whose output
 * goes into BENCHMARKS.md.
 *
 * <pre>java -cp ... dev.pinaivu.cli.bench.LogBench [entries] [entry bytes]</pre>
 */
public final class LogBench {
  private static final String ORIGIN = "bench.pinaivu.dev/log";
  private static final int PAGE = 170; // a 512 KiB page of 3 KiB receipts, as a sync fetches

  private LogBench() {}

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
    run(Math.min(entries, 20_000), bytes); // warm-up
    System.out.print(run(entries, bytes));
  }

  static String run(int count, int entryBytes) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    List<byte[]> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] entry = new byte[entryBytes];
      random.nextBytes(entry);
      entries.add(entry);
    }
    NoteSigner signer = new NoteSigner(ORIGIN, Ed25519.PrivateKey.generate());

    long t0 = System.nanoTime();
    Frontier frontier = Frontier.empty();
    for (byte[] entry : entries) {
      frontier.append(Hash.leaf(entry));
    }
    Hash root = frontier.root();
    long t1 = System.nanoTime();

    Path dir = Files.createTempDirectory("pinaivu-logbench");
    double stored;
    double inclusions;
    double inclusionChecks;
    double consistencies;
    double consistencyChecks;
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("log.db"))) {
      SqliteLogStore store = new SqliteLogStore(db);
      Frontier parent = Frontier.empty();
      long t2 = System.nanoTime();
      for (int from = 0; from < count; from += PAGE) {
        List<byte[]> page = entries.subList(from, Math.min(count, from + PAGE));
        page.forEach(e -> parent.append(Hash.leaf(e)));
        Checkpoint c = new Checkpoint(ORIGIN, parent.size(), parent.root());
        store.extend(from, page, SignedCheckpoint.sign(c, signer));
      }
      stored = count / seconds(t2);
      if (!parent.root().equals(root)) {
        throw new IllegalStateException("the stored tree differs");
      }

      TransparencyLog log = new TransparencyLog(ORIGIN, store);
      int proofs = Math.min(count, 100_000);
      long[] leaves = random.longs(proofs, 0, count).toArray();
      List<InclusionProof> made = new ArrayList<>(proofs);
      long t3 = System.nanoTime();
      for (long leaf : leaves) {
        made.add(log.inclusionProof(leaf, count));
      }
      inclusions = proofs / seconds(t3);
      List<Hash> leafHashes = new ArrayList<>(proofs);
      for (long leaf : leaves) {
        leafHashes.add(Hash.leaf(entries.get((int) leaf)));
      }
      long t4 = System.nanoTime();
      for (int i = 0; i < proofs; i++) {
        require(made.get(i).verify(leafHashes.get(i), root).accepted());
      }
      inclusionChecks = proofs / seconds(t4);

      long[] firsts = random.longs(proofs, 1, count).toArray();
      List<ConsistencyProof> links = new ArrayList<>(proofs);
      long t5 = System.nanoTime();
      for (long first : firsts) {
        links.add(log.consistencyProof(first, count));
      }
      consistencies = proofs / seconds(t5);
      List<Hash> firstRoots = new ArrayList<>(proofs);
      for (long first : firsts) {
        firstRoots.add(log.root(first));
      }
      long t6 = System.nanoTime();
      for (int i = 0; i < proofs; i++) {
        require(links.get(i).verify(firstRoots.get(i), root).accepted());
      }
      consistencyChecks = proofs / seconds(t6);
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "Transparency log, one thread, %,d entries of %,d bytes: coordinator appends (frontier)"
            + " **%,.0f/s**; parent stores entries with their checkpoint in SQLite, pages of %d,"
            + " **%,.0f/s**; inclusion proofs served **%,.0f/s**, verified **%,.0f/s**;"
            + " consistency proofs served **%,.0f/s**, verified **%,.0f/s**.%n",
        count,
        entryBytes,
        count / ((t1 - t0) / 1e9),
        PAGE,
        stored,
        inclusions,
        inclusionChecks,
        consistencies,
        consistencyChecks);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void require(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("a proof did not verify");
    }
  }
}
