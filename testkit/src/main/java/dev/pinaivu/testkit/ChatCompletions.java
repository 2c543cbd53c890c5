package dev.pinaivu.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/chat/completions}: applies a matching fault, validates, plans the completion,
 * then writes it whole or as SSE, waiting the configured time to first token and token delay.
 */
final class ChatCompletions {

  private final ModelCatalog models;
  private final Settings settings;
  private final FaultRules faults;
  private final CountDownLatch closed;
  private final AtomicLong sequence = new AtomicLong();

  ChatCompletions(
      ModelCatalog models, Settings settings, FaultRules faults, CountDownLatch closed) {
    this.models = models;
    this.settings = settings;
    this.faults = faults;
    this.closed = closed;
  }

  RequestOutcome answer(HttpExchange exchange, RecordedRequest recorded)
      throws IOException, InterruptedException {
    int dropAfter = -1;
    switch (faults.match(recorded)) {
      case null -> {}
      case Fault.Status status -> throw OpenAiError.from(status);
      case Fault.Hang hang -> {
        closed.await();
        return RequestOutcome.SERVER_CLOSED;
      }
      case Fault.Drop drop -> dropAfter = drop.afterChunks();
    }
    ChatRequest request = ChatRequest.from(recorded.json());
    models.check(request);
    Completion completion =
        Completion.plan(
            request, settings, sequence.incrementAndGet(), Instant.now().getEpochSecond());
    return request.stream()
        ? stream(exchange, ChunkStream.render(completion), dropAfter)
        : whole(exchange, completion, dropAfter);
  }

  private RequestOutcome whole(HttpExchange exchange, Completion completion, int dropAfter)
      throws IOException, InterruptedException {
    byte[] body = CompletionBody.render(completion);
    pause(settings.timeToFirstToken);
    pause(settings.tokenDelay.multipliedBy(Math.max(0, completion.pieces().size() - 1)));
    if (dropAfter >= 0) {
      return RequestOutcome.DROPPED;
    }
    Responses.json(exchange, 200, body);
    return RequestOutcome.COMPLETED;
  }

  private RequestOutcome stream(HttpExchange exchange, List<SseEvent> events, int dropAfter)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    body.flush(); // headers go out now, as real servers do; tokens follow
    pause(settings.timeToFirstToken);
    for (int i = 0; i < events.size(); i++) {
      if (i == dropAfter) {
        return RequestOutcome.DROPPED;
      }
      SseEvent event = events.get(i);
      if (event.paced()) {
        pause(settings.tokenDelay);
      }
      body.write(event.bytes());
      body.flush(); // one event per write, so tokens arrive one by one
    }
    return RequestOutcome.COMPLETED;
  }

  private static void pause(Duration duration) throws InterruptedException {
    if (duration.isPositive()) {
      Thread.sleep(duration);
    }
  }
}
