package dev.pinaivu.agent;

import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.JobParts;
import dev.pinaivu.core.protocol.ProtocolException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code job_part} frames of jobs too large for one WebSocket API message, kept per connection
 * and job until each job is whole (ADR 27). Whatever the gateway sends, it holds at most {@code
 * maxJobs} jobs and {@code maxBytes} of their parts, and forgets a job not whole within {@link
 * #EXPIRY}: a gateway sending parts of jobs it never completes cannot grow the agent's memory.
 * Thread-safe: frames of two connections may arrive at once, and the agent's timer expires.
 */
final class JobPartBuffer {
  private static final Logger log = LoggerFactory.getLogger(JobPartBuffer.class);

  /** How long a job's parts may take to arrive; the relay sends them one after another at once. */
  static final Duration EXPIRY = Duration.ofSeconds(30);

  private final int maxJobs;
  private final long maxBytes;
  private final InstantSource clock;
  private final Map<Key, Pending> pending = new LinkedHashMap<>();
  private long refusedLoggedAtMs = Long.MIN_VALUE / 2;

  private record Key(GatewayConnection connection, String jobId) {}

  private record Pending(JobParts.Assembly assembly, long startedAtMs) {}

  JobPartBuffer(int maxJobs, long maxBytes, InstantSource clock) {
    this.maxJobs = maxJobs;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /** Adds a part that came on {@code from}; returns its job once every part of it is in. */
  synchronized Optional<Frame.Job> add(GatewayConnection from, Frame.JobPart part) {
    expire();
    Key key = new Key(from, part.jobId());
    Pending held = pending.get(key);
    if (held == null) {
      if (pending.size() >= maxJobs) {
        refused(part.jobId(), pending.size() + " jobs are being assembled already");
        return Optional.empty();
      }
      held = new Pending(new JobParts.Assembly(part.jobId()), clock.millis());
      pending.put(key, held);
    }
    Optional<Frame.Job> job;
    try {
      job = held.assembly().add(part);
    } catch (ProtocolException e) {
      pending.remove(key);
      log.warn("dropping the parts of job {}: {}", part.jobId(), e.getMessage());
      return Optional.empty();
    }
    if (job.isPresent()) {
      pending.remove(key);
    } else if (bytes() > maxBytes) {
      pending.remove(key);
      refused(part.jobId(), "the jobs being assembled would hold more than " + maxBytes + " bytes");
    }
    return job;
  }

  /** Forgets the jobs whose parts did not all arrive within {@link #EXPIRY}. */
  synchronized void expire() {
    long now = clock.millis();
    for (Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Pending> next = it.next();
      if (now - next.getValue().startedAtMs() >= EXPIRY.toMillis()) {
        it.remove();
        log.warn(
            "dropping the parts of job {}: not all in after {}", next.getKey().jobId(), EXPIRY);
      }
    }
  }

  /** Forgets the parts that came on a connection that ended: the rest cannot come on it. */
  synchronized void closed(GatewayConnection connection) {
    pending.keySet().removeIf(key -> key.connection() == connection);
  }

  /** Jobs being assembled now. */
  synchronized int jobs() {
    return pending.size();
  }

  /** The UTF-8 bytes of the parts held now. */
  synchronized long bytes() {
    return pending.values().stream().mapToLong(p -> p.assembly().bytes()).sum();
  }

  /** A job refused for want of room; logged once a second at most, as a flood would repeat it. */
  private void refused(String jobId, String reason) {
    long now = clock.millis();
    if (now - refusedLoggedAtMs >= 1_000) {
      refusedLoggedAtMs = now;
      log.warn("refusing the parts of job {} (and others for a second): {}", jobId, reason);
    }
  }
}
