package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.LogItems.CHECKPOINT;
import static dev.pinaivu.functions.store.LogItems.CHECKPOINT_SIZE;
import static dev.pinaivu.functions.store.LogItems.FENCE;
import static dev.pinaivu.functions.store.LogItems.SIZE;

import dev.pinaivu.core.translog.SignedCheckpoint;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The head item of a log: its committed size, the last fence handed to a writer, and the latest
 * checkpoint with its tree size. An absent item or attribute reads as an empty log.
 */
record Head(long size, long fence, Optional<String> checkpoint, long checkpointSize) {
  static Head of(Map<String, AttributeValue> item) {
    if (item == null || item.isEmpty()) {
      return new Head(0, 0, Optional.empty(), 0);
    }
    AttributeValue note = item.get(CHECKPOINT);
    return new Head(
        LogItems.number(item, SIZE),
        LogItems.number(item, FENCE),
        Optional.ofNullable(note).map(AttributeValue::s),
        LogItems.number(item, CHECKPOINT_SIZE));
  }

  Optional<SignedCheckpoint> latestCheckpoint() {
    return checkpoint.map(SignedCheckpoint::parseUnverified);
  }

  /** Whether {@code candidate} may replace the stored checkpoint: not of a smaller tree. */
  boolean takes(SignedCheckpoint candidate) {
    return checkpoint.isEmpty() || candidate.checkpoint().treeSize() >= checkpointSize;
  }
}
