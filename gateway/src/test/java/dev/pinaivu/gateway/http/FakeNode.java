package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node agent reduced to what the gateway's HTTP tests need: it signs in over the real node
 * protocol, offers some models, and answers every job at once with a one-word result of {@link
 * #USAGE}.
 */
final class FakeNode implements WebSocket.Listener, AutoCloseable {
  static final Usage USAGE = Usage.of(5, 3);

  private final NodeKey key = NodeKey.generate();
  private final List<String> models;
  private final int capacity;
  private final CompletableFuture<Void> live = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /** Jobs received while {@link #holding}, answered by {@link #release}. */
  private final BlockingQueue<Frame.Job> held = new LinkedBlockingQueue<>();

  private volatile boolean holding;

  private FakeNode(List<String> models, int capacity) {
    this.models = models;
    this.capacity = capacity;
  }

  /** Connects to {@code nodeUrl} and returns once the gateway has the offer. */
  static FakeNode connect(String nodeUrl, String... models) throws Exception {
    return connect(HttpClient.newHttpClient(), nodeUrl, 64, models);
  }

  /** As {@link #connect}, with {@code client}'s connection and {@code capacity} jobs at once. */
  static FakeNode connect(HttpClient client, String nodeUrl, int capacity, String... models)
      throws Exception {
    FakeNode node = new FakeNode(List.of(models), capacity);
    node.socket =
        client
            .newWebSocketBuilder()
            .buildAsync(URI.create(nodeUrl), node)
            .get(10, TimeUnit.SECONDS);
    node.live.get(10, TimeUnit.SECONDS);
    return node;
  }

  NodeId id() {
    return key.id();
  }

  /** From now on, keeps the jobs it gets without answering them. */
  FakeNode holdJobs() {
    holding = true;
    return this;
  }

  /** Waits for a held job. */
  Frame.Job awaitHeldJob() throws InterruptedException {
    Frame.Job job = held.poll(10, TimeUnit.SECONDS);
    if (job == null) {
      throw new AssertionError("no job reached the node");
    }
    return job;
  }

  /** Answers {@code job}, held until now. */
  void release(Frame.Job job) {
    send(socket, answer(job));
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String message = partial.toString();
      partial.setLength(0);
      try {
        for (Frame frame : FrameCodec.decodeMessage(message)) {
          handle(ws, frame);
        }
      } catch (Exception e) {
        live.completeExceptionally(e);
      }
    }
    ws.request(1);
    return null;
  }

  private void handle(WebSocket ws, Frame frame) {
    switch (frame) {
      case Frame.Hello h ->
          send(
              ws,
              new Frame.Auth(
                  Frame.PROTOCOL_VERSION,
                  key.id(),
                  B64.encode(key.publicKey()),
                  B64.encode(key.signChallenge(h.nonce())),
                  "fake-node"));
      case Frame.Welcome w -> {
        NodeOffer offer =
            new NodeOffer(
                key.id(),
                System.currentTimeMillis(),
                capacity,
                models.stream().map(m -> new ModelOffer(m, 1, 1, null)).toList());
        send(ws, new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer))));
        live.complete(null);
      }
      case Frame.Job job -> {
        if (holding) {
          held.add(job);
        } else {
          send(ws, answer(job));
        }
      }
      default -> {}
    }
  }

  private static Frame answer(Frame.Job job) {
    if (job.stream()) {
      return new Frame.Done(job.jobId(), 0, USAGE, false);
    }
    ObjectNode result = Json.object().put("object", "chat.completion");
    ObjectNode choice = result.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", "ok");
    choice.put("finish_reason", "stop");
    result.set("usage", USAGE.toJson());
    return new Frame.Result(job.jobId(), 0, result);
  }

  private synchronized void send(WebSocket ws, Frame frame) {
    ws.sendText(FrameCodec.encode(frame), true).join();
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
  }
}
