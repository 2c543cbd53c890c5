package dev.pinaivu.core.billing;

import java.util.function.Supplier;

/**
 * Port: runs a unit of store writes so that they commit together or not at all, when the stores
 * share a database (SQLite locally); stores without one run the work as it comes, each write atomic
 * and idempotent on its own. Settlement uses it to store the receipt, move the money and forget the
 * owed settlement in one commit instead of three.
 */
@FunctionalInterface
public interface StoreTransaction {
  /** For stores that share no transaction: the work runs as it is. */
  StoreTransaction NONE = Supplier::get;

  <T> T inOne(Supplier<T> work);
}
