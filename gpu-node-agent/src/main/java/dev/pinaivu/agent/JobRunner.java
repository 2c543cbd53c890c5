package dev.pinaivu.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.agent.backend.Cancellation;
import dev.pinaivu.agent.backend.InferenceBackend;
import dev.pinaivu.agent.backend.JobOutput;
import dev.pinaivu.agent.backend.TokenEstimate;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.ChunkContent;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.UnencodableFrameException;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.DispatchTokenVerifier;
import dev.pinaivu.core.receipt.ResponseDigest;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.text.UnicodeText;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job: checks its dispatch token, runs it on the backend, turns what the backend produces
 * into numbered frames, and ends with the signed proof of inference. Exactly one terminal frame
 * (result, done or job_error) is sent unless the job was cancelled; the proof follows in every case
 * where the job ran.
 */
final class JobRunner implements JobOutput {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final Frame.Job job;
  private final FrameSender sender;
  private final Verification<DispatchTokenVerifier> tokens;
  private final ProofWriter proof;
  private final Function<String, Optional<TokenPrice>> offered;
  private final Cancellation cancellation = new Cancellation();
  private final ResponseDigest digest = new ResponseDigest();
  private long seq;
  private volatile boolean finished; // written under this, read by heartbeats too
  private volatile boolean outputSent; // the first output frame went (at once, no linger)
  private Usage usage;
  private boolean usageEstimated;
  private boolean failed;
  private long deliveredChunks;

  /**
   * @param tokens checks the job's dispatch token; invalid, with the reason, when no coordinator is
   *     trusted, and then every job is refused with that reason
   * @param offered this node's current price of a model, to refuse tokens that pay less
   */
  JobRunner(
      Frame.Job job,
      FrameSender sender,
      Verification<DispatchTokenVerifier> tokens,
      ProofWriter proof,
      Function<String, Optional<TokenPrice>> offered) {
    this.job = job;
    this.sender = sender;
    this.tokens = tokens;
    this.proof = proof;
    this.offered = offered;
  }

  void cancel() {
    cancellation.cancel();
  }

  /**
   * Whether it still works for the gateway: not finished and not cancelled. A heartbeat counts
   * these, so that a job whose last frame is sent no longer takes one of the node's slots.
   */
  boolean working() {
    return !finished && !cancellation.isCancelled();
  }

  void run(InferenceBackend backend) {
    Verification<DispatchToken> token = checked();
    if (!token.valid()) {
      log.warn("refusing job {}: {}", job.jobId(), token.reason());
      // job_refuse for gateways that know it, then job_error for those that predate it
      sendQuietly(() ->
          sender.sendNow(FrameCodec.encode(new Frame.JobRefuse(job.jobId(), token.reason()))));
      sendQuietly(() -> error("bad_dispatch_token", token.reason(), false, null));
      return;
    }
    sendQuietly(() -> sender.sendNow(FrameCodec.encode(new Frame.JobAccept(job.jobId()))));
    ObjectNode request;
    try {
      request = (ObjectNode) Json.parse(job.request());
    } catch (JsonProcessingException | ClassCastException e) {
      sendQuietly(() -> error("bad_request", "the job's request is not a JSON object", false, 400));
      return;
    }
    try {
      request = UpstreamRequest.forApi(request, job.api());
    } catch (ApiException | IllegalArgumentException e) {
      String reason = "the job's request cannot run: " + e.getMessage();
      sendQuietly(() -> error("bad_request", reason, false, 400));
      return;
    }
    UpstreamRequest.limit(request, token.value());
    long startedAt = System.currentTimeMillis();
    try {
      backend.complete(request, job.stream(), this, cancellation);
      if (!finished && !cancellation.isCancelled()) {
        error("agent_error", "the backend ended without an answer", true, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.debug("job {} stopped: {}", job.jobId(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("job {} failed in the agent", job.jobId(), e);
      sendQuietly(() -> error("agent_error", "the node agent failed", true, null));
    }
    sendProof(request, startedAt);
  }

  /** The job's token, verified, and paying at least this node's offer for the model. */
  private Verification<DispatchToken> checked() {
    if (!tokens.valid()) {
      return tokens.failure("this node trusts no coordinator: ");
    }
    Verification<DispatchToken> token = tokens.value().verify(job);
    if (!token.valid()) {
      return token;
    }
    Optional<TokenPrice> price = offered.apply(job.model());
    if (price.isEmpty()) {
      return Verification.invalid("this node does not offer model " + job.model());
    }
    if (!token.value().paysAtLeast(price.get())) {
      return Verification.invalid(
          "dispatch token pays "
              + token.value().inputMicrosPerMtok()
              + "/"
              + token.value().outputMicrosPerMtok()
              + " µUSD per Mtok, less than this node's offer "
              + price.get().inputMicrosPerMillion()
              + "/"
              + price.get().outputMicrosPerMillion());
    }
    return token;
  }

  private void sendProof(ObjectNode request, long startedAt) {
    synchronized (this) {
      if (usage == null) {
        usage = Usage.of(TokenEstimate.prompt(request), deliveredChunks);
        usageEstimated = true;
      }
    }
    try {
      sender.sendNow(
          proof.write(
              job,
              digest.hex(),
              outcome(),
              usage,
              usageEstimated,
              delivered(),
              startedAt,
              System.currentTimeMillis()));
    } catch (IOException | RuntimeException e) {
      log.warn("cannot send the proof of {}: {}", job.jobId(), e.getMessage());
    }
  }

  private synchronized dev.pinaivu.core.receipt.Outcome outcome() {
    if (finished && !failed) {
      return dev.pinaivu.core.receipt.Outcome.COMPLETED;
    }
    return cancellation.isCancelled() && !finished
        ? dev.pinaivu.core.receipt.Outcome.CANCELLED
        : dev.pinaivu.core.receipt.Outcome.FAILED;
  }

  /** Completion tokens in what was sent: all of them when completed, else the output chunks. */
  private synchronized long delivered() {
    if (finished && !failed) {
      return usage.completionTokens();
    }
    return Math.min(deliveredChunks, usage.completionTokens());
  }

  @Override
  public synchronized void chunk(ObjectNode chunk) throws IOException {
    if (!UnicodeText.isWellFormed(chunk)) {
      badOutput();
    }
    send(new Frame.Chunk(job.jobId(), seq++, chunk));
    if (ChunkContent.carriesOutput(chunk)) {
      deliveredChunks++;
    }
  }

  @Override
  public synchronized void result(ObjectNode completion) throws IOException {
    if (!UnicodeText.isWellFormed(completion)) {
      badOutput();
    }
    usage = Usage.from(completion.get("usage"));
    usageEstimated = false;
    finish(new Frame.Result(job.jobId(), seq++, completion));
  }

  /**
   * The inference server's output holds text that is not valid Unicode, which no frame can carry:
   * this job fails (retryable: another node may answer well) and its upstream request is stopped;
   * the connection, and every other job on it, is untouched.
   */
  private void badOutput() throws IOException {
    if (!finished) {
      error(
          "upstream_bad_output",
          "the inference server's output is not valid Unicode (a lone surrogate)",
          true,
          null);
    }
    cancellation.cancel();
    throw new IOException("the inference server's output is not valid Unicode");
  }

  @Override
  public synchronized void done(Usage reported, boolean estimated) throws IOException {
    usage = reported;
    usageEstimated = estimated;
    finish(new Frame.Done(job.jobId(), seq++, reported, estimated));
  }

  @Override
  public synchronized void error(String code, String message, boolean retryable, Integer status)
      throws IOException {
    failed = true;
    finish(new Frame.JobError(job.jobId(), seq++, code, message, retryable, status));
  }

  private void finish(Frame frame) throws IOException {
    if (finished) {
      throw new IllegalStateException("job " + job.jobId() + " already finished");
    }
    finished = true;
    send(frame, true);
  }

  private void send(Frame frame) throws IOException {
    send(frame, !outputSent); // the first output goes at once: the client's first token
  }

  /**
   * @param now the frame is one someone waits on: it and what waits with it go at once
   */
  private void send(Frame frame, boolean now) throws IOException {
    if (cancellation.isCancelled()) {
      throw new IOException("job cancelled");
    }
    String text;
    try {
      text = FrameCodec.encode(frame);
    } catch (UnencodableFrameException e) {
      throw new IOException(e.getMessage(), e); // checked by the callers before; never sent
    }
    if (frame instanceof Frame.Chunk || frame instanceof Frame.Result) {
      digest.add(text);
      outputSent = true;
    }
    try {
      if (now) {
        sender.sendNow(text);
      } else {
        sender.send(text);
      }
    } catch (IOException e) {
      cancellation.cancel(); // nobody is listening: stop the upstream as well
      throw e;
    }
  }

  private interface Step {
    void run() throws IOException;
  }

  private static void sendQuietly(Step step) {
    try {
      step.run();
    } catch (IOException e) {
      // the connection is gone; the gateway fails the job over on its own
    }
  }
}
