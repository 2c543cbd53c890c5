package dev.pinaivu.core.ledger;

/** Why money moved in a {@link JournalEntry}. */
public enum EntryKind {
  /** Prepaid credit: plus on the client account, minus on {@link AccountId#EXTERNAL}. */
  TOP_UP,
  /** What a settled request cost the client: minus on the client account. */
  CHARGE,
  /** What the node earned for the request: plus on the node account. */
  EARNING,
  /** The network's cut of the request: plus on {@link AccountId#FEE}. */
  FEE
}
