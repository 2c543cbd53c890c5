package dev.pinaivu.cli.hostile;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A node written for the deadline attacks (ADR 23): it joins like any node (signed auth and offer,
 * heartbeats on time, so it looks live), usually at a price that puts it first in every ranking,
 * and then never serves: it ignores each job, accepts it and falls silent, or refuses it.
 */
public final class StallingNode implements AutoCloseable {
  /** What it does with a job. */
  public enum Stall {
    /** Never answers the job at all (heartbeats on). */
    SILENT,
    /** Sends {@code job_accept}, then nothing for that job. */
    ACCEPT_THEN_SILENT,
    /** Sends {@code job_refuse}. */
    REFUSE
  }

  private final Stall stall;
  private final int capacity;
  private final long microsPerMtok;
  private final NodeKey key = NodeKey.generate();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final CompletableFuture<Void> offered = new CompletableFuture<>();
  private final List<Frame.Job> jobs = new CopyOnWriteArrayList<>();
  private final List<Frame.Cancel> cancels = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket socket;
  private volatile boolean closed;

  private StallingNode(Stall stall, int capacity, long microsPerMtok) {
    this.stall = stall;
    this.capacity = capacity;
    this.microsPerMtok = microsPerMtok;
  }

  /** Joins {@code nodeUrl} offering model {@code llama} and returns once its offer is sent. */
  public static StallingNode connect(String nodeUrl, Stall stall, int capacity, long microsPerMtok)
      throws Exception {
    StallingNode node = new StallingNode(stall, capacity, microsPerMtok);
    node.http
        .newWebSocketBuilder()
        .buildAsync(URI.create(nodeUrl), node.new Listener())
        .get(10, TimeUnit.SECONDS);
    node.offered.get(10, TimeUnit.SECONDS);
    return node;
  }

  public NodeId id() {
    return key.id();
  }

  public List<Frame.Job> jobs() {
    return List.copyOf(jobs);
  }

  public List<Frame.Cancel> cancels() {
    return List.copyOf(cancels);
  }

  @Override
  public void close() {
    closed = true;
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    work.shutdownNow();
    http.close();
  }

  private void handle(Frame frame) {
    switch (frame) {
      case Frame.Hello h ->
          send(
              new Frame.Auth(
                  Frame.PROTOCOL_VERSION,
                  key.id(),
                  B64.encode(key.publicKey()),
                  B64.encode(key.signChallenge(h.nonce())),
                  "stalling-node/1"));
      case Frame.Welcome w -> {
        NodeOffer offer =
            new NodeOffer(
                key.id(),
                System.currentTimeMillis(),
                capacity,
                List.of(new ModelOffer("llama", microsPerMtok, microsPerMtok, null)));
        send(new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer))));
        work.execute(() -> heartbeats(Math.max(w.heartbeatIntervalMs(), 100)));
        offered.complete(null);
      }
      case Frame.Job job -> {
        jobs.add(job);
        switch (stall) {
          case SILENT -> {}
          case ACCEPT_THEN_SILENT -> send(new Frame.JobAccept(job.jobId()));
          case REFUSE -> send(new Frame.JobRefuse(job.jobId(), "not today"));
        }
      }
      case Frame.Cancel c -> cancels.add(c);
      default -> {}
    }
  }

  private void heartbeats(long intervalMs) {
    try {
      while (!closed) {
        Thread.sleep(intervalMs); // it looks alive: a heartbeat every interval
        send(new Frame.Heartbeat(0, System.currentTimeMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void send(Frame frame) {
    if (closed) {
      return;
    }
    try {
      socket.sendText(FrameCodec.encode(frame), true).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the gateway went away; the test will say so
    }
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket ws) {
      socket = ws;
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        for (String line : FrameCodec.lines(message)) {
          try {
            Frame frame = FrameCodec.decode(line);
            work.execute(() -> handle(frame)); // off the reader: a send may wait
          } catch (ProtocolException e) {
            // frames it cannot read are ignored
          }
        }
      }
      ws.request(1);
      return null;
    }
  }
}
