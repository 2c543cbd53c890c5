package dev.pinaivu.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A fake OpenAI-compatible inference server, shaped like vLLM, Ollama, llama.cpp or SGLang behind a
 * node agent: {@code GET /v1/models}, {@code GET /v1/models/{id}}, {@code POST
 * /v1/chat/completions} (whole or streamed), {@code GET /health}. Replies are deterministic ("Echo:
 * " plus the last user message), timing and faults can be changed while it runs, and every request
 * is recorded as received.
 *
 * <pre>{@code
 * try (var upstream = FakeOpenAiServer.builder().model("llama").start()) {
 *   upstream.setTokenDelay(Duration.ofMillis(5));
 *   upstream.failNext(1, Fault.status(503));
 *   // point the client at upstream.baseUrl()
 * }
 * }</pre>
 */
public final class FakeOpenAiServer implements AutoCloseable {
  /** Room for thousands of clients connecting at once (Linux caps it at net.core.somaxconn). */
  private static final int ACCEPT_BACKLOG = 4096;

  static {
    // Nagle would hold back small SSE writes. The JDK server reads this once, when the first one
    // starts: a JVM that started another JDK HttpServer earlier needs -Dsun.net.httpserver.nodelay
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String host;
  private final int requestedPort;
  private final List<FakeModel> models;
  private final String apiKey;
  private final Settings settings = new Settings();
  private final FaultRules faults = new FaultRules();
  private final RequestLog log;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile HttpServer server;
  private ExecutorService executor;

  private FakeOpenAiServer(Builder config) {
    this.host = config.host;
    this.requestedPort = config.port;
    this.models = config.models();
    this.apiKey = config.apiKey;
    this.log = new RequestLog(config.recordLimit);
    settings.timeToFirstToken = config.timeToFirstToken;
    settings.tokenDelay = config.tokenDelay;
    settings.replyTokens = config.replyTokens;
    settings.toolArgumentsBytes = config.toolArgumentsBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the server standalone, for benchmarks; prints the base URL as the first line of stdout.
   * Options: {@code --host --port --models a,b --max-model-len --ttft-ms --token-delay-ms
   * --reply-tokens --tool-args-bytes --api-key --record}.
   */
  public static void main(String[] args) {
    if (List.of(args).contains("--help")) {
      System.out.println(CommandLine.USAGE);
      return;
    }
    FakeOpenAiServer.Builder builder;
    try {
      builder = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    FakeOpenAiServer server = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println(server.baseUrl());
    System.out.flush();
    // the JDK server's dispatcher thread keeps the JVM running until it is stopped
  }

  /** Binds and starts serving; returns this. */
  public synchronized FakeOpenAiServer start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    ModelCatalog catalog = new ModelCatalog(models);
    ChatCompletions chat = new ChatCompletions(catalog, settings, faults, closed);
    try {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), requestedPort);
      server = HttpServer.create(address, ACCEPT_BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + host + ":" + requestedPort, e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", new Router(catalog, chat, log, apiKey, closed));
    server.start();
    return this;
  }

  public int port() {
    return started().getAddress().getPort();
  }

  /** Where clients point, ending in {@code /v1}, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    String address = started().getAddress().getAddress().getHostAddress();
    return "http://"
        + (address.contains(":") ? "[" + address + "]" : address)
        + ":"
        + port()
        + "/v1";
  }

  /** Stops at once: in-flight requests (hung ones too) end with their connections closed. */
  @Override
  public synchronized void close() {
    if (server == null || closed.getCount() == 0) {
      return;
    }
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- knobs, read by each request as it runs

  /** Delay between the request and the first token (streaming: headers are sent at once). */
  public void setTimeToFirstToken(Duration delay) {
    settings.timeToFirstToken = nonNegative(delay);
  }

  /** Delay before each token after the first; a non-streaming answer waits the sum. */
  public void setTokenDelay(Duration delay) {
    settings.tokenDelay = nonNegative(delay);
  }

  /** Makes every text reply exactly {@code tokens} long (repeating the echo); 0 for natural. */
  public void setReplyTokens(int tokens) {
    settings.replyTokens = nonNegative(tokens);
  }

  /** Pads tool call arguments to at least {@code bytes} (a {@code "padding"} field); 0 for none. */
  public void setToolArgumentsBytes(int bytes) {
    settings.toolArgumentsBytes = nonNegative(bytes);
  }

  /**
   * Makes the reported usage {@code factor} times the tokens generated, like an inference server
   * (or a node behind it) that inflates its bill; 1 for honest.
   */
  public void setUsageFactor(int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("usage factor must be at least 1: " + factor);
    }
    settings.usageFactor = factor;
  }

  /** Applies {@code fault} to every chat completion request until {@link #clearFaults()}. */
  public void failWith(Fault fault) {
    faults.addUnlimited(request -> true, fault);
  }

  /** Applies {@code fault} to the next {@code count} chat completion requests. */
  public void failNext(int count, Fault fault) {
    faults.add(request -> true, count, fault);
  }

  /** Applies {@code fault} to every chat completion request that matches {@code condition}. */
  public void failWhen(Predicate<RecordedRequest> condition, Fault fault) {
    faults.addUnlimited(Objects.requireNonNull(condition), fault);
  }

  public void clearFaults() {
    faults.clear();
  }

  // ---- what happened

  /** Recent requests of any kind, oldest first (the last {@link Builder#recordLimit}). */
  public List<RecordedRequest> requests() {
    return log.recent();
  }

  /** Recent chat completion requests, oldest first. */
  public List<RecordedRequest> chatRequests() {
    return log.recent().stream().filter(RecordedRequest::isChatCompletion).toList();
  }

  /**
   * The latest chat completion request.
   *
   * @throws IllegalStateException if none was received
   */
  public RecordedRequest lastChatRequest() {
    List<RecordedRequest> chats = chatRequests();
    if (chats.isEmpty()) {
      throw new IllegalStateException("no chat completion request received");
    }
    return chats.getLast();
  }

  /** Forgets recorded requests (counters keep counting). */
  public void clearRequests() {
    log.clear();
  }

  /** Chat completion requests being answered right now. */
  public int activeChatRequests() {
    return log.activeChats();
  }

  /** Chat completion requests received since start. */
  public long chatRequestCount() {
    return log.chats();
  }

  /** Requests whose client closed the connection before the response was written. */
  public long clientDisconnectCount() {
    return log.clientDisconnects();
  }

  private HttpServer started() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server;
  }

  private static Duration nonNegative(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay: " + delay);
    }
    return delay;
  }

  private static int nonNegative(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative value: " + value);
    }
    return value;
  }

  /** Configuration fixed at start; the timing and size knobs can be changed later too. */
  public static final class Builder {

    private String host = "127.0.0.1";
    private int port;
    private final List<FakeModel> models = new ArrayList<>();
    private Duration timeToFirstToken = Duration.ZERO;
    private Duration tokenDelay = Duration.ZERO;
    private int replyTokens;
    private int toolArgumentsBytes;
    private String apiKey;
    private int recordLimit = 1000;

    private Builder() {}

    /** Address to bind; loopback by default. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** Port to bind; 0 (the default) picks a free one, see {@link #port()}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Adds a served model; with none added the server serves {@code fake-model}. */
    public Builder model(FakeModel model) {
      models.add(Objects.requireNonNull(model));
      return this;
    }

    public Builder model(String id) {
      return model(FakeModel.of(id));
    }

    public Builder timeToFirstToken(Duration delay) {
      this.timeToFirstToken = nonNegative(delay);
      return this;
    }

    public Builder tokenDelay(Duration delay) {
      this.tokenDelay = nonNegative(delay);
      return this;
    }

    /** See {@link FakeOpenAiServer#setReplyTokens(int)}. */
    public Builder replyTokens(int tokens) {
      this.replyTokens = nonNegative(tokens);
      return this;
    }

    /** See {@link FakeOpenAiServer#setToolArgumentsBytes(int)}. */
    public Builder toolArgumentsBytes(int bytes) {
      this.toolArgumentsBytes = nonNegative(bytes);
      return this;
    }

    /** Requires {@code Authorization: Bearer <key>} on {@code /v1} (401 otherwise), like vLLM. */
    public Builder apiKey(String key) {
      this.apiKey = key;
      return this;
    }

    /** How many recent requests to keep (default 1000); 0 records none, for long benchmarks. */
    public Builder recordLimit(int limit) {
      this.recordLimit = nonNegative(limit);
      return this;
    }

    public FakeOpenAiServer build() {
      return new FakeOpenAiServer(this);
    }

    /** Builds and starts. */
    public FakeOpenAiServer start() {
      return build().start();
    }

    private List<FakeModel> models() {
      return models.isEmpty() ? List.of(FakeModel.of("fake-model")) : List.copyOf(models);
    }
  }
}
