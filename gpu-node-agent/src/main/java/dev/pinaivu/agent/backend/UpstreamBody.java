package dev.pinaivu.agent.backend;

import java.io.Closeable;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An upstream response body read line by line, one line requested at a time. Unlike {@code
 * BodyHandlers.ofInputStream()}, every line that arrived before the connection broke is still
 * handed out before the failure, so a crash mid-stream never hides tokens already produced (and
 * billed for).
 */
final class UpstreamBody implements Flow.Subscriber<String>, Closeable {
  private static final Object END = new Object();

  private record Failure(Throwable cause) {}

  private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private volatile CompletableFuture<?> exchange;
  private volatile boolean ended;

  HttpResponse.BodySubscriber<Void> handle(HttpResponse.ResponseInfo info) {
    status.complete(info.statusCode());
    return HttpResponse.BodySubscribers.fromLineSubscriber(this);
  }

  /** Ties the body to its exchange, so that a failure before the headers is reported too. */
  void attach(CompletableFuture<?> exchange) {
    this.exchange = exchange;
    exchange.whenComplete((r, e) -> {
      if (e != null) {
        status.completeExceptionally(e);
        items.add(new Failure(e));
      }
    });
  }

  /** The HTTP status, once the headers arrived; the connection failure otherwise. */
  int status() throws IOException, InterruptedException {
    try {
      return status.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  /** The next line; null at the end of the body. */
  String nextLine() throws IOException, InterruptedException {
    Object item = items.take();
    if (item == END) {
      items.add(END);
      return null;
    }
    if (item instanceof Failure f) {
      items.add(f);
      throw f.cause() instanceof IOException io ? io : new IOException(f.cause());
    }
    subscription.request(1);
    return (String) item;
  }

  /** The rest of the body as text. */
  String rest() throws IOException, InterruptedException {
    StringBuilder out = new StringBuilder();
    for (String line = nextLine(); line != null; line = nextLine()) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(String line) {
    items.add(line);
  }

  @Override
  public void onError(Throwable t) {
    ended = true;
    items.add(new Failure(t));
  }

  @Override
  public void onComplete() {
    ended = true;
    items.add(END);
  }

  /**
   * Abandons the response if it is still arriving: the connection is closed and the server stops
   * generating. A body read to its end is left alone, so its connection goes back to the pool.
   */
  @Override
  public void close() {
    if (ended) {
      return;
    }
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    CompletableFuture<?> e = exchange;
    if (e != null) {
      e.cancel(true);
    }
    items.add(new Failure(new IOException("cancelled")));
  }
}
