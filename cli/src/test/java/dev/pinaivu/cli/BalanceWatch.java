package dev.pinaivu.cli;

import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples one account's ledger balance while a test runs (about every millisecond) and keeps the
 * lowest value seen, so that a balance that dips below zero and recovers is still caught.
 */
public final class BalanceWatch implements AutoCloseable {
  private final AccountId account;
  private final Ledger ledger;
  private final AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong samples = new AtomicLong();
  private final Thread sampler;
  private volatile boolean stopped;

  BalanceWatch(Ledger ledger, String account) {
    this.ledger = ledger;
    this.account = AccountId.client(account);
    sample();
    this.sampler = Thread.ofVirtual().name("balance-" + account).start(this::run);
  }

  public String account() {
    return account.value();
  }

  /** The lowest balance seen so far, in µUSD (read once more now). */
  public long lowestMicros() {
    sample();
    return lowest.get();
  }

  public long samples() {
    return samples.get();
  }

  private void run() {
    try {
      while (!stopped) {
        sample();
        Thread.sleep(1); // a sampling period, not a wait for a condition
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sample() {
    long balance = ledger.balance(account);
    lowest.accumulateAndGet(balance, Math::min);
    samples.incrementAndGet();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    sampler.join();
  }
}
