package dev.pinaivu.testkit;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** The faults set at runtime; the first rule that matches a request (in order added) wins. */
final class FaultRules {

  private static final int UNLIMITED = -1;

  private final List<Rule> rules = new CopyOnWriteArrayList<>();

  void add(Predicate<RecordedRequest> condition, int times, Fault fault) {
    if (times < 1 && times != UNLIMITED) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    rules.add(new Rule(condition, new AtomicInteger(times), Objects.requireNonNull(fault)));
  }

  void addUnlimited(Predicate<RecordedRequest> condition, Fault fault) {
    add(condition, UNLIMITED, fault);
  }

  void clear() {
    rules.clear();
  }

  /** The fault for this request, or {@code null}; a limited rule is used up by matching. */
  Fault match(RecordedRequest request) {
    for (Rule rule : rules) {
      if (rule.condition.test(request) && rule.take()) {
        if (rule.remaining.get() == 0) {
          rules.remove(rule);
        }
        return rule.fault;
      }
    }
    return null;
  }

  private record Rule(Predicate<RecordedRequest> condition, AtomicInteger remaining, Fault fault) {
    boolean take() {
      return remaining.get() == UNLIMITED
          || remaining.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }
  }
}
