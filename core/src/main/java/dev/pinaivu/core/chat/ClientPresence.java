package dev.pinaivu.core.chat;

import dev.pinaivu.core.dispatch.JobStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the client of one request is still there, and which attempt its going away must cancel.
 * The sink reports the departure on any thread; the attempt in progress is cancelled at once (its
 * relay wakes on the cancel), and no further attempt is started.
 */
final class ClientPresence {
  static final String REASON = "client disconnected";

  private final AtomicReference<JobStream> attempt = new AtomicReference<>();
  private volatile boolean gone;

  /** Watches the client behind {@code sink}. */
  static ClientPresence of(ChatSink sink) {
    ClientPresence presence = new ClientPresence();
    sink.onClientGone(presence::left);
    return presence;
  }

  boolean gone() {
    return gone;
  }

  /** {@code stream} is the attempt now running; cancelled at once if the client already left. */
  void attach(JobStream stream) {
    attempt.set(stream);
    if (gone) {
      stream.cancel(REASON);
    }
  }

  /** The attempt ended; a departure from now on cancels nothing. */
  void detach() {
    attempt.set(null);
  }

  private void left() {
    gone = true; // before reading the attempt: attach reads them in the other order
    JobStream stream = attempt.get();
    if (stream != null) {
      stream.cancel(REASON);
    }
  }
}
