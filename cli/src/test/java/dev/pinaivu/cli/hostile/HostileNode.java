package dev.pinaivu.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.agent.ConnectHeaders;
import dev.pinaivu.agent.backend.TokenEstimate;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.JobParts;
import dev.pinaivu.core.protocol.ProtocolException;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.ProofOfInference;
import dev.pinaivu.core.receipt.ResponseDigest;
import dev.pinaivu.core.receipt.SignedProof;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node agent written for the attack tests: an in-JVM WebSocket client that speaks node protocol
 * v1 well enough to be routed to (hello, auth signed with its own Ed25519 key, welcome, signed
 * offer, heartbeats), answers every job with a fixed short text, and then lies as configured: about
 * its usage ({@link Builder#claimUsage}), its price, its capacity, or {@code max_tokens}.
 *
 * <p>Apart from the lies it behaves: its proofs are signed with its key, and their {@code
 * response_sha256} is the {@link ResponseDigest} of exactly the frames it sent (as the real agent
 * computes it), {@code request_sha256} the hash of the job's {@code request} string and {@code
 * dispatch_token_sha256} the hash of the token it was given, so that a gateway can find nothing
 * wrong with a proof except the numbers in it. It never checks the dispatch token, as an attacker
 * would not. Frames it does not know are ignored.
 *
 * <p>It joins the local gateway ({@link Builder#connect}: hello, auth) or the serverless
 * deployment's WebSocket API ({@link Builder#connectServerless}: its key proved in the {@code
 * $connect} headers as the real agent's {@code --gateway-handshake HEADERS} does, then offer and
 * welcome), reassembling a job sent as {@code job_part} frames. Beyond lying in its answers it can
 * break its proofs' signatures ({@link Builder#breakProofSignatures}), send any frame ({@link
 * #inject}) and answer a job it was never given ({@link #answerUnasked}).
 */
public final class HostileNode implements AutoCloseable {
  /** What it answers unless told otherwise: five words, 27 bytes. */
  public static final String TEXT = "five words of honest output";

  private static final Logger log = LoggerFactory.getLogger(HostileNode.class);

  private final Builder config;
  private final NodeKey key = NodeKey.generate();
  private final HttpClient http;
  private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final CompletableFuture<Void> offered = new CompletableFuture<>();
  private final List<Frame.Job> jobs = new CopyOnWriteArrayList<>();
  private final List<Frame.Cancel> cancels = new CopyOnWriteArrayList<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> outputWords = new ConcurrentHashMap<>();
  private final Map<String, JobParts.Assembly> assemblies = new ConcurrentHashMap<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile long[] price; // µUSD per million input and output tokens, as last offered
  private volatile WebSocket socket;
  private volatile boolean closed;

  private HostileNode(Builder config) {
    this.config = config;
    this.http = config.client != null ? config.client : HttpClient.newHttpClient();
    this.price = new long[] {config.inputMicrosPerMtok, config.outputMicrosPerMtok};
  }

  /** An honest node serving {@code llama} at $1 per 1M tokens in and out, capacity 64. */
  public static Builder builder() {
    return new Builder();
  }

  /** How the node behaves; every setter returns the builder. */
  public static final class Builder {
    private String model = "llama";
    private String text = TEXT;
    private Usage claim;
    private long inputMicrosPerMtok = 1_000_000;
    private long outputMicrosPerMtok = 1_000_000;
    private int capacity = 64;
    private boolean ignoreMaxTokens;
    private Duration firstTokenDelay = Duration.ZERO;
    private Duration chunkDelay = Duration.ZERO;
    private boolean failEveryJob;
    private boolean silent;
    private String operator;
    private HttpClient client;
    private boolean breakProofSignatures;
    private int repeat = 1;
    private int withheldChunk = -1;
    private boolean serverless;

    private Builder() {}

    /** Sends every frame of a job (output, its end, its proof) this many times in a row. */
    public Builder repeatJobFrames(int times) {
      this.repeat = times;
      return this;
    }

    /**
     * Never sends the streamed chunk at {@code index} (0-based) but carries on after it, and proves
     * it as sent: its proof's hash and usage cover every chunk, as if the gateway had lost one.
     */
    public Builder withholdChunk(int index) {
      this.withheldChunk = index;
      return this;
    }

    /** Sends every proof with its signature broken, one bit flipped (the proof is right). */
    public Builder breakProofSignatures() {
      this.breakProofSignatures = true;
      return this;
    }

    /** Answers every job with a retryable {@code job_error} at once, and no proof. */
    public Builder failEveryJob() {
      this.failEveryJob = true;
      return this;
    }

    /** Heartbeats but never answers a job. */
    public Builder silent() {
      this.silent = true;
      return this;
    }

    /** Names this operator in its signed offer (the per-operator limit counts it). */
    public Builder operator(String name) {
      this.operator = name;
      return this;
    }

    /** Connects through this client (many nodes share one), which it then does not close. */
    public Builder client(HttpClient shared) {
      this.client = shared;
      return this;
    }

    /** The one model it offers (default {@code llama}). */
    public Builder model(String id) {
      this.model = id;
      return this;
    }

    /** What it answers, streamed word by word (default {@link #TEXT}). */
    public Builder text(String answer) {
      this.text = answer;
      return this;
    }

    /**
     * Claims this usage in every {@code done}/{@code result} and proof, whatever it delivered, with
     * {@code delivered_completion_tokens} equal to the claimed completion tokens. Without it the
     * node is honest: the prompt as the real agent estimates it, one token per word it sent.
     */
    public Builder claimUsage(long promptTokens, long completionTokens) {
      this.claim = Usage.of(promptTokens, completionTokens);
      return this;
    }

    /** Its offer's price, µUSD per million input and output tokens. */
    public Builder price(long inputMicrosPerMtok, long outputMicrosPerMtok) {
      this.inputMicrosPerMtok = inputMicrosPerMtok;
      this.outputMicrosPerMtok = outputMicrosPerMtok;
      return this;
    }

    /** Its offer's capacity (jobs at once). */
    public Builder capacity(int jobs) {
      this.capacity = jobs;
      return this;
    }

    /** Streams the whole text even when the request's {@code max_tokens} allows fewer words. */
    public Builder ignoreMaxTokens() {
      this.ignoreMaxTokens = true;
      return this;
    }

    /** Waits this long before its first output (so that many requests are in flight at once). */
    public Builder firstTokenDelay(Duration delay) {
      this.firstTokenDelay = delay;
      return this;
    }

    /** Waits this long after each streamed word (so that a client can leave mid-stream). */
    public Builder chunkDelay(Duration delay) {
      this.chunkDelay = delay;
      return this;
    }

    /** Connects to the gateway's node endpoint and returns once its signed offer is sent. */
    public HostileNode connect(String nodeUrl) throws Exception {
      HostileNode node = new HostileNode(this);
      node.http
          .newWebSocketBuilder()
          .buildAsync(URI.create(nodeUrl), node.new Listener())
          .get(10, TimeUnit.SECONDS);
      node.offered.get(10, TimeUnit.SECONDS);
      return node;
    }

    /**
     * Connects to a serverless deployment's WebSocket API stage ({@code wss://<domain>/<stage>}),
     * its key proved in the {@code $connect} headers, and returns once its offer was welcomed.
     */
    public HostileNode connectServerless(URI stageUrl) throws Exception {
      this.serverless = true;
      HostileNode node = new HostileNode(this);
      WebSocket.Builder upgrade = node.http.newWebSocketBuilder();
      ConnectHeaders.of(node.key, stageUrl, System.currentTimeMillis(), List.of("chat"))
          .forEach(upgrade::header);
      upgrade.buildAsync(stageUrl, node.new Listener()).get(10, TimeUnit.SECONDS);
      node.offered.get(10, TimeUnit.SECONDS);
      return node;
    }
  }

  public NodeId id() {
    return key.id();
  }

  /** The jobs the gateway sent it, in arrival order. */
  public List<Frame.Job> jobs() {
    return List.copyOf(jobs);
  }

  /** The cancels the gateway sent it, in arrival order. */
  public List<Frame.Cancel> cancels() {
    return List.copyOf(cancels);
  }

  /** Offers its model again at another price, signed and newer than the last offer. */
  public void reprice(long inputMicrosPerMtok, long outputMicrosPerMtok) {
    price = new long[] {inputMicrosPerMtok, outputMicrosPerMtok};
    sendOffer();
  }

  /** Sends {@code frames} as one message, one per line, whatever they are and whenever. */
  public void inject(Frame... frames) {
    List<String> lines = new ArrayList<>(frames.length);
    for (Frame frame : frames) {
      lines.add(FrameCodec.encode(frame));
    }
    sendText(String.join("\n", lines));
  }

  /**
   * Answers a job it was never given, as if it had been: {@code text} as one chunk with {@code seq}
   * 0, {@code done} claiming {@code claim}, and a proof of it signed with its own key.
   */
  public void answerUnasked(String jobId, String model, String text, Usage claim) {
    long startedAt = System.currentTimeMillis();
    ResponseDigest digest = new ResponseDigest();
    sendOutput(digest, new Frame.Chunk(jobId, 0, chunk(text, 0, "stop")));
    send(new Frame.Done(jobId, 1, claim, false));
    send(
        proof(
            jobId,
            model,
            "",
            digest,
            "",
            Outcome.COMPLETED,
            claim,
            claim.completionTokens(),
            startedAt));
  }

  /** How many words of output it sent for a job (chunks, or words of its one result). */
  public long wordsSent(String jobId) {
    return outputWords.getOrDefault(jobId, 0L);
  }

  /** Drops its connection at once, with no close frame and nothing more sent: a kill -9. */
  public void kill() {
    closed = true;
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
  }

  @Override
  public void close() {
    closed = true;
    WebSocket ws = socket;
    if (ws != null) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
      ws.abort();
    }
    work.shutdownNow();
    if (config.client == null) {
      http.close();
    }
  }

  private void handle(Frame frame) {
    switch (frame) {
      case Frame.JobPart part -> reassemble(part).ifPresent(this::handle);
      case Frame.Hello h ->
          send(
              new Frame.Auth(
                  Frame.PROTOCOL_VERSION,
                  key.id(),
                  B64.encode(key.publicKey()),
                  B64.encode(key.signChallenge(h.nonce())),
                  "hostile-node/1"));
      case Frame.Welcome w -> {
        if (!config.serverless) {
          sendOffer(); // on the WebSocket API it was sent at once, and this is its answer
        }
        work.execute(() -> heartbeats(Math.max(w.heartbeatIntervalMs(), 100)));
        offered.complete(null);
      }
      case Frame.Job job -> {
        jobs.add(job);
        if (config.failEveryJob) {
          send(new Frame.JobError(job.jobId(), 0, "upstream_error", "always fails", true, null));
        } else if (!config.silent) {
          work.execute(() -> serve(job));
        }
      }
      case Frame.Cancel c -> {
        cancels.add(c);
        cancelled.add(c.jobId());
      }
      case Frame.Error e -> {
        log.warn("the gateway refused this node: {} ({})", e.code(), e.message());
        offered.completeExceptionally(new IllegalStateException(e.code() + ": " + e.message()));
      }
      default -> {} // frames of other types, and types this version does not know
    }
  }

  /** The whole job once its last part came; a part that does not fit is dropped with its job. */
  private Optional<Frame.Job> reassemble(Frame.JobPart part) {
    JobParts.Assembly assembly = assemblies.computeIfAbsent(part.jobId(), JobParts.Assembly::new);
    try {
      Optional<Frame.Job> whole = assembly.add(part);
      whole.ifPresent(j -> assemblies.remove(part.jobId()));
      return whole;
    } catch (ProtocolException e) {
      assemblies.remove(part.jobId());
      log.debug("hostile node drops job {} in parts: {}", part.jobId(), e.getMessage());
      return Optional.empty();
    }
  }

  private void sendOffer() {
    NodeOffer offer =
        new NodeOffer(
            key.id(),
            System.currentTimeMillis(),
            config.capacity,
            List.of(new ModelOffer(config.model, price[0], price[1], null)));
    ObjectNode json = Json.MAPPER.valueToTree(offer);
    if (config.operator != null) {
      json.put("operator", config.operator);
    }
    send(new Frame.Offer(json, B64.encode(key.signOffer(json))));
  }

  private void heartbeats(long intervalMs) {
    try {
      while (!closed) {
        Thread.sleep(intervalMs); // a timer: the protocol wants a frame every interval
        send(new Frame.Heartbeat(0, System.currentTimeMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(Frame.Job job) {
    try {
      ObjectNode request = request(job);
      long startedAt = System.currentTimeMillis();
      ResponseDigest digest = new ResponseDigest();
      List<String> words = words(request);
      boolean cut = words.size() < words(config.text).size();
      pause(job, config.firstTokenDelay);
      long seq = 0;
      long sent = 0;
      if (job.stream()) {
        for (int i = 0; i < words.size() && !cancelled.contains(job.jobId()); i++) {
          String finish = i < words.size() - 1 ? null : cut ? "length" : "stop";
          Frame.Chunk chunk = new Frame.Chunk(job.jobId(), seq++, chunk(words.get(i), i, finish));
          if (i == config.withheldChunk) {
            digest.add(FrameCodec.encode(chunk)); // proved, never sent
          } else {
            sendOutput(digest, chunk);
          }
          outputWords.put(job.jobId(), ++sent);
          pause(job, config.chunkDelay);
        }
        if (!cancelled.contains(job.jobId())) {
          sendJobFrame(new Frame.Done(job.jobId(), seq, usage(request, sent), false));
        }
      } else if (!cancelled.contains(job.jobId())) {
        sent = words.size();
        Usage usage = usage(request, sent);
        ObjectNode completion = completion(String.join("", words), cut, usage);
        sendOutput(digest, new Frame.Result(job.jobId(), seq, completion));
        outputWords.put(job.jobId(), sent);
      }
      Outcome outcome = cancelled.contains(job.jobId()) ? Outcome.CANCELLED : Outcome.COMPLETED;
      Usage usage = usage(request, sent);
      long delivered = config.claim != null ? config.claim.completionTokens() : sent;
      sendJobFrame(
          proof(
              job.jobId(),
              job.model(),
              job.request(),
              digest,
              job.dispatchToken(),
              outcome,
              usage,
              delivered,
              startedAt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("hostile node failed on job {}", job.jobId(), e);
    }
  }

  /**
   * Its signed proof of a job: the hashes of {@code request} and {@code dispatchToken} (null as
   * empty) and of what it sent, claiming {@code usage} and {@code delivered} completion tokens;
   * signed with its key, the signature then broken when it breaks them.
   */
  private Frame.Proof proof(
      String jobId,
      String model,
      String request,
      ResponseDigest digest,
      String dispatchToken,
      Outcome outcome,
      Usage usage,
      long delivered,
      long startedAt) {
    ProofOfInference proof =
        new ProofOfInference(
            ProofOfInference.VERSION,
            RequestId.parse(jobId),
            key.id(),
            model,
            Sha256.hex(request.getBytes(StandardCharsets.UTF_8)),
            digest.hex(),
            Sha256.hex(
                (dispatchToken == null ? "" : dispatchToken).getBytes(StandardCharsets.US_ASCII)),
            outcome,
            usage,
            false,
            delivered,
            startedAt,
            System.currentTimeMillis());
    SignedProof signed = SignedProof.sign(proof, key);
    String signature = signed.signature();
    if (config.breakProofSignatures) {
      byte[] broken = B64.decode(signature);
      broken[0] ^= 1;
      signature = B64.encode(broken);
    }
    return new Frame.Proof(jobId, signed.proof(), signature);
  }

  /** The claim, or the honest count: the prompt as the real agent estimates it, one per word. */
  private Usage usage(ObjectNode request, long wordsSent) {
    return config.claim != null ? config.claim : Usage.of(TokenEstimate.prompt(request), wordsSent);
  }

  private static ObjectNode request(Frame.Job job) {
    try {
      return Json.parse(job.request()) instanceof ObjectNode o ? o : Json.object();
    } catch (Exception e) {
      return Json.object(); // an attacker does not care what it was asked
    }
  }

  /** The words it will send for this request: all of them, or as many as max_tokens allows. */
  private List<String> words(ObjectNode request) {
    List<String> all = words(config.text);
    Long max = maxTokens(request);
    if (config.ignoreMaxTokens || max == null || max >= all.size()) {
      return all;
    }
    return all.subList(0, max.intValue());
  }

  /** The text cut after each space, spaces kept, so the words join back to the text. */
  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ' ') {
        out.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  private static Long maxTokens(ObjectNode request) {
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode value = request.get(field);
      if (value != null && value.canConvertToLong() && value.asLong() >= 1) {
        return value.asLong();
      }
    }
    return null;
  }

  private ObjectNode chunk(String word, int index, String finish) {
    ObjectNode chunk = Json.object();
    chunk.put("id", "hostile");
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", System.currentTimeMillis() / 1000);
    chunk.put("model", config.model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (index == 0) {
      delta.put("role", "assistant");
    }
    delta.put("content", word);
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return chunk;
  }

  private ObjectNode completion(String content, boolean cut, Usage usage) {
    ObjectNode completion = Json.object();
    completion.put("id", "hostile");
    completion.put("object", "chat.completion");
    completion.put("created", System.currentTimeMillis() / 1000);
    completion.put("model", config.model);
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", cut ? "length" : "stop");
    completion.set("usage", usage.toJson());
    return completion;
  }

  /** Sleeps, waking early when the job is cancelled. */
  private void pause(Frame.Job job, Duration delay) throws InterruptedException {
    long until = System.nanoTime() + delay.toNanos();
    while (System.nanoTime() < until && !cancelled.contains(job.jobId())) {
      Thread.sleep(Math.min(10, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
    }
  }

  /** An output frame: hashed exactly as sent, as the real agent does (docs/receipts.md §4). */
  private void sendOutput(ResponseDigest digest, Frame frame) {
    String text = FrameCodec.encode(frame);
    digest.add(text);
    for (int i = 0; i < config.repeat; i++) {
      sendText(text);
    }
  }

  private void sendJobFrame(Frame frame) {
    for (int i = 0; i < config.repeat; i++) {
      send(frame);
    }
  }

  private void send(Frame frame) {
    sendText(FrameCodec.encode(frame));
  }

  /** One frame per message; the JDK WebSocket allows one send at a time. */
  private synchronized void sendText(String text) {
    if (closed) {
      return;
    }
    try {
      socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("hostile node could not send: {}", e.getMessage());
    }
  }

  /** Reassembles text messages and hands each frame to {@link #handle}. */
  private final class Listener implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket ws) {
      socket = ws; // before the first frame: hello comes before buildAsync returns
      if (config.serverless) {
        work.execute(HostileNode.this::sendOffer); // no hello there: the offer asks for welcome
      }
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
            handle(FrameCodec.decode(line));
          } catch (ProtocolException e) {
            log.debug("hostile node ignores a frame it cannot read: {}", e.getMessage());
          }
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      offered.completeExceptionally(
          new IllegalStateException("closed by the gateway: " + statusCode + " " + reason));
      return null;
    }
  }
}
