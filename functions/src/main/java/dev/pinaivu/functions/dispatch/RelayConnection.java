package dev.pinaivu.functions.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.ProtocolException;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.functions.nodes.RelayAuth;
import dev.pinaivu.functions.nodes.RelayFrames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An execution environment's WebSocket connection to the nodes' WebSocket API, on which {@code
 * $default} relays the frames of the jobs this environment dispatched (ADR 27). Opened on first use
 * with the relay secret's headers ({@link RelayAuth}), its id learnt from {@code relay_welcome};
 * reopened after it closed (API Gateway closes connections after two hours, idle ones after ten
 * minutes, and a SnapStart restore must not reuse the snapshot's). When it closes, every job
 * waiting on it loses its node: the use case fails over or ends the stream.
 */
public final class RelayConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayConnection.class);
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final URI url;
  private final String endpoint;
  private final Supplier<byte[]> secret;
  private final InstantSource clock;
  private final Map<String, RelayJob> jobs = new ConcurrentHashMap<>();
  private WebSocket socket; // guarded by this
  private String connectionId; // guarded by this

  /**
   * @param url the stage's WebSocket URL, {@code wss://<domain>/<stage>}
   */
  public RelayConnection(HttpClient http, URI url, Supplier<byte[]> secret, InstantSource clock) {
    this.http = http;
    this.url = url;
    this.endpoint = url.getHost() + url.getPath();
    this.secret = secret;
    this.clock = clock;
  }

  /** The connection's id, opening it first when it is not open. */
  public synchronized String open() throws IOException {
    if (socket != null && !socket.isOutputClosed() && !socket.isInputClosed()) {
      return connectionId;
    }
    CompletableFuture<String> welcome = new CompletableFuture<>();
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(OPEN_TIMEOUT);
    RelayAuth.headers(secret.get(), endpoint, clock.millis()).forEach(builder::header);
    try {
      WebSocket opened =
          builder
              .buildAsync(url, new Listener(welcome))
              .get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      opened
          .sendText(RelayFrames.hello(), true)
          .get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      connectionId = welcome.get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      socket = opened;
      log.info("relay connection {} open", connectionId);
      return connectionId;
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the relay connection to " + url + " did not open: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted opening the relay connection", e);
    }
  }

  void register(RelayJob job) {
    jobs.put(job.jobId(), job);
  }

  void unregister(String jobId) {
    jobs.remove(jobId);
  }

  /** Jobs still waiting for frames or a proof here. */
  int waiting() {
    return jobs.size();
  }

  /** SnapStart's checkpoint, or the environment's end: the next dispatch opens a new one. */
  @Override
  public synchronized void close() {
    if (socket != null) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "closing");
      socket.abort();
      socket = null;
    }
    lost("relay connection closed");
  }

  private synchronized void closed(WebSocket which, String why) {
    if (socket == which) {
      socket = null;
      log.info("relay connection {} closed: {}", connectionId, why);
      lost(why);
    }
  }

  private void lost(String why) {
    for (RelayJob job : jobs.values()) {
      job.nodeLost(why);
    }
    jobs.clear();
  }

  /** One relayed line: a relay message, or a node's frame as the node wrote it. */
  private void received(String line, CompletableFuture<String> welcome) {
    JsonNode message;
    try {
      message = Json.parse(line);
    } catch (IOException e) {
      log.warn("relay: a line that is not JSON dropped");
      return;
    }
    String type = RelayFrames.type(message);
    if (RelayFrames.WELCOME.equals(type)) {
      welcome.complete(message.path("connection_id").asText());
      return;
    }
    if (RelayFrames.NODE_LOST.equals(type)) {
      RelayJob job = jobs.remove(message.path("job_id").asText());
      if (job != null) {
        job.nodeLost(message.path("reason").asText("node lost"));
      }
      return;
    }
    Frame frame;
    try {
      frame = FrameCodec.decode(line);
    } catch (ProtocolException e) {
      log.warn("relay: a frame that does not decode dropped: {}", e.getMessage());
      return;
    }
    switch (frame) {
      case Frame.JobFrame f -> {
        RelayJob job = jobs.get(f.jobId());
        if (job != null) {
          job.deliver(f, line);
        }
      }
      case Frame.Proof p -> {
        RelayJob job = jobs.remove(p.jobId());
        if (job != null) {
          job.proofArrived(new SignedProof(p.proof(), p.signature()));
        }
      }
      default -> log.debug("relay: a {} frame ignored", frame.getClass().getSimpleName());
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final CompletableFuture<String> welcome;
    private final StringBuilder partial = new StringBuilder();

    Listener(CompletableFuture<String> welcome) {
      this.welcome = welcome;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        for (String line : FrameCodec.lines(message)) {
          received(line, welcome);
        }
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
      welcome.completeExceptionally(new IOException("closed: " + status + " " + reason));
      closed(socket, "closed by the API: " + status + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      welcome.completeExceptionally(error);
      closed(socket, "failed: " + error);
    }
  }
}
