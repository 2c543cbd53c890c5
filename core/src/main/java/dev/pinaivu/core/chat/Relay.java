package dev.pinaivu.core.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.metering.ClaimCheck;
import dev.pinaivu.core.metering.OutputMeter;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.openai.ChunkContent;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.Billing;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.text.UnicodeText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Relays one attempt on one node to the client. Chunks that carry no output yet (the usual leading
 * {@code role} chunk) are held back, so that a node failing before its first token can be replaced
 * without the client seeing anything. Duplicate frames (same sequence number) are dropped; a gap
 * means frames were lost and fails the attempt. A client that goes away ends the attempt as soon as
 * the relay wakes (the stream's cancel wakes it), before anything more is written.
 *
 * <p>It meters the output that actually reached the client ({@link OutputMeter}), and the usage it
 * shows the client is the node's claim cut to the limits the node cannot move (the token's limits
 * and the delivered output), so that a client is never shown, nor billed, more than it received.
 */
final class Relay {
  private static final String CONTEXT = "context_length_exceeded";

  sealed interface Outcome {
    /** {@code usage} as shown to the client: the node's claim within the limits. */
    record Delivered(double firstOutputMs, Usage usage) implements Outcome {}

    record Retry(String reason) implements Outcome {}

    record Rejected(ApiException error) implements Outcome {}

    record Broken(String reason) implements Outcome {}

    record ClientGone() implements Outcome {}
  }

  private final JobStream stream;
  private final ChatRequest request;
  private final ResponseRewriter rewriter;
  private final ChatSink sink;
  private final ChatSettings settings;
  private final Usage tokenLimits;
  private final BooleanSupplier clientGone;
  private final AttemptDeadlines deadlines;
  private final KeepAlive keepAlive;
  private final OutputMeter meter = new OutputMeter();
  private final long startNanos = System.nanoTime();
  private final List<ObjectNode> held = new ArrayList<>(2);
  private boolean started;
  private boolean delivered;
  private double firstOutputMs;
  private long lastSeq = -1;
  private Usage shown;
  private Usage claimed;
  private ChatSink.LastWrite lastWrite = ChatSink.LastWrite.NONE;
  private boolean missedDeadline;
  private final TokenPrice price;
  private final FeePolicy fees;
  private final NodeId node;

  /**
   * @param token the dispatch token: its prompt and completion limits, prices and fee
   * @param node the node the job runs on, named in the answer (ADR 29)
   * @param clientGone true once the client has left
   * @param deadlines when to abandon this attempt (ADR 23)
   * @param keepAlive what keeps the client's connection open meanwhile
   */
  Relay(
      JobStream stream,
      ChatRequest request,
      ResponseRewriter rewriter,
      ChatSink sink,
      ChatSettings settings,
      DispatchToken token,
      NodeId node,
      BooleanSupplier clientGone,
      AttemptDeadlines deadlines,
      KeepAlive keepAlive) {
    this.stream = stream;
    this.request = request;
    this.rewriter = rewriter;
    this.sink = sink;
    this.settings = settings;
    this.tokenLimits = token.limits();
    this.price = token.price();
    this.fees = token.fees();
    this.node = node;
    this.clientGone = clientGone;
    this.deadlines = deadlines;
    this.keepAlive = keepAlive;
  }

  /**
   * Relays the job until it ends.
   *
   * @param lastWrite run before the last bytes of a whole answer are written (ChatSink.LastWrite);
   *     by then the relay's figures ({@link #shownUsage}, {@link #deliveredCompletionLimit}, the
   *     first output) are those of the whole answer
   */
  Outcome run(ChatSink.LastWrite lastWrite) throws InterruptedException {
    this.lastWrite = lastWrite;
    try {
      while (true) {
        long now = System.nanoTime();
        long left = deadlines.nanosLeft(now);
        if (left <= 0) {
          missedDeadline = true;
          stream.cancel("deadline missed");
          return failure(deadlines.missed());
        }
        long wait = Math.max(1, Math.min(left, keepAlive.nanosUntilDue(now)));
        Frame.JobFrame frame = stream.next(Duration.ofNanos(wait));
        if (clientGone.getAsBoolean()) {
          return clientGone(); // checked first: nothing is written to a client known to be gone
        }
        if (frame == null) {
          keepAlive.sendIfDue(System.nanoTime());
          continue;
        }
        if (frame.seq() >= 0 || frame instanceof Frame.JobAccept) {
          deadlines.frame(System.nanoTime()); // the node's own frames, not the gateway's
        }
        if (frame.seq() >= 0) {
          if (frame.seq() <= lastSeq) {
            continue; // delivered twice: already relayed
          }
          if (frame.seq() != lastSeq + 1) {
            stream.cancel("sequence gap");
            return failure("frames lost: expected seq " + (lastSeq + 1) + ", got " + frame.seq());
          }
          lastSeq = frame.seq();
        }
        Outcome outcome = handle(frame);
        if (outcome != null) {
          return outcome;
        }
      }
    } catch (ClientGoneException e) {
      return clientGone();
    }
  }

  private Outcome clientGone() {
    stream.cancel(ClientPresence.REASON);
    return new Outcome.ClientGone();
  }

  private Outcome handle(Frame.JobFrame frame) throws ClientGoneException {
    switch (frame) {
      case Frame.JobAccept a -> {
        return null;
      }
      case Frame.JobRefuse r -> {
        if (started) {
          return null; // too late to refuse: the job's own end frame decides
        }
        return new Outcome.Retry("refused: " + (r.reason() == null ? "no reason" : r.reason()));
      }
      case Frame.Chunk c -> {
        if (!request.stream()) {
          stream.cancel("protocol violation");
          return failure("the node streamed a job that was not a stream");
        }
        if (!UnicodeText.isWellFormed(c.data())) {
          stream.cancel("output is not valid Unicode");
          return failure("the node sent output that is not valid Unicode");
        }
        ObjectNode chunk = rewriter.chunk(c.data());
        if (!started && !ChunkContent.carriesOutput(chunk)) {
          held.add(chunk);
          return null;
        }
        startOutput();
        write(chunk);
        return null;
      }
      case Frame.Done d -> {
        if (!request.stream()) {
          return failure("the node ended a non-streamed job without a result");
        }
        startOutput();
        claimed = d.usage();
        Usage usage = withinLimits(d.usage());
        if (request.includeUsage()) {
          sink.chunk(rewriter.usageChunk(usage, costMicros(usage), node));
          shown = usage;
        }
        delivered(); // a whole answer, even an empty one: counted before its bill is kept
        sink.end(lastWrite);
        return new Outcome.Delivered(firstOutputMs, usage);
      }
      case Frame.Result r -> {
        if (request.stream()) {
          stream.cancel("protocol violation");
          return failure("the node answered a stream with a single result");
        }
        if (!UnicodeText.isWellFormed(r.data())) {
          return failure("the node sent output that is not valid Unicode");
        }
        startOutput();
        meter.completion(r.data());
        claimed = Usage.from(r.data().get("usage"));
        Usage usage = withinLimits(claimed);
        ObjectNode completion = rewriter.completion(r.data(), usage, costMicros(usage), node);
        shown = usage;
        delivered(); // counted before its bill is kept, as for a stream's end
        sink.complete(completion, lastWrite);
        return new Outcome.Delivered(firstOutputMs, usage);
      }
      case Frame.JobError e -> {
        if (started) {
          sink.fail(
              new ApiException(
                  ErrorKind.UPSTREAM,
                  "The GPU node failed after the response had started: " + e.message(),
                  null,
                  e.code()));
          return new Outcome.Broken(e.code() + ": " + e.message());
        }
        if (!e.retryable() && isClientError(e.status()) && CONTEXT.equals(e.code())) {
          // the node's model server found the prompt too long: OpenAI's own error (ADR 32)
          return new Outcome.Rejected(
              new ApiException(ErrorKind.INVALID_REQUEST, e.message(), "messages", CONTEXT));
        }
        if (!e.retryable() && isClientError(e.status())) {
          return new Outcome.Rejected(
              new ApiException(
                  ErrorKind.INVALID_REQUEST,
                  "The model server rejected the request: " + e.message(),
                  null,
                  "upstream_rejected"));
        }
        return new Outcome.Retry(e.code() + ": " + e.message());
      }
    }
  }

  /**
   * What {@code billed} costs the client at the token's prices and fee: the receipt's {@code
   * total_charged} for the same usage, computed by the same rule (ADR 29).
   */
  private long costMicros(Usage billed) {
    return Charge.of(billed, price, fees).totalCharged();
  }

  /** The node's claim cut to the token's limits and to what reached the client. */
  private Usage withinLimits(Usage claimed) {
    Usage claim = claimed == null ? Usage.of(0, 0) : claimed;
    return Billing.compute(claim, tokenLimits, true, meter.completionLimit(), null).billed();
  }

  /** Writes an output chunk; only once it is written does it count as delivered. */
  private void write(ObjectNode chunk) throws ClientGoneException {
    sink.chunk(chunk);
    keepAlive.wrote(System.nanoTime());
    meter.chunk(chunk);
    delivered();
  }

  private void delivered() {
    if (!delivered) {
      delivered = true;
      firstOutputMs = (System.nanoTime() - startNanos) / 1e6;
    }
  }

  /** From here the attempt is the client's answer: no silent failover any more. */
  private void startOutput() throws ClientGoneException {
    if (started) {
      return;
    }
    started = true;
    deadlines.started();
    for (ObjectNode chunk : held) {
      sink.chunk(chunk);
    }
    held.clear();
  }

  /** True when output reached the client (a write carrying it succeeded), so the job is billed. */
  boolean reachedClient() {
    return delivered;
  }

  /** When the first output reached the client, on the clock {@code dispatchedAtMs} is on. */
  long firstOutputAtMs(long dispatchedAtMs) {
    return dispatchedAtMs + Math.round(firstOutputMs);
  }

  /** The completion tokens the output that reached the client can account for. */
  long deliveredCompletionLimit() {
    return delivered ? meter.completionLimit() : 0;
  }

  /** True when the node's claim is not credible for what it delivered ({@link ClaimCheck}). */
  boolean overclaimed(ClaimCheck check) {
    return claimed != null && delivered && check.overclaims(claimed.completionTokens(), meter);
  }

  /** True when the attempt ended because the node missed one of its deadlines (ADR 23). */
  boolean missedDeadline() {
    return missedDeadline;
  }

  /** The usage the client's response carried; null when it carried none. */
  Usage shownUsage() {
    return shown;
  }

  private Outcome failure(String reason) {
    if (!started) {
      return new Outcome.Retry(reason);
    }
    sink.fail(
        new ApiException(
            ErrorKind.UPSTREAM, "The GPU node failed: " + reason, null, "node_failed"));
    return new Outcome.Broken(reason);
  }

  private static boolean isClientError(Integer status) {
    return status != null && status >= 400 && status < 500 && status != 408 && status != 429;
  }
}
