package dev.pinaivu.functions.store;

/**
 * Points inside a write where a test stops or pauses the writer, as a crash or a slow writer would:
 * after it took its fence, and after its leaves are written but before it commits.
 */
interface WriteProbe {
  WriteProbe NONE = new WriteProbe() {};

  default void claimed(long fence) {}

  default void leavesWritten(long fence) {}
}
