package dev.pinaivu.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.agent.backend.Cancellation;
import dev.pinaivu.agent.backend.InferenceBackend;
import dev.pinaivu.agent.backend.JobOutput;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job on the backend and turns what it produces into numbered frames. Exactly one terminal
 * frame (result, done or job_error) is sent unless the job was cancelled.
 */
final class JobRunner implements JobOutput {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final Frame.Job job;
  private final FrameSender sender;
  private final Cancellation cancellation = new Cancellation();
  private long seq;
  private boolean finished;

  JobRunner(Frame.Job job, FrameSender sender) {
    this.job = job;
    this.sender = sender;
  }

  void cancel() {
    cancellation.cancel();
  }

  void run(InferenceBackend backend) {
    try {
      ObjectNode request;
      try {
        request = (ObjectNode) Json.parse(job.request());
      } catch (JsonProcessingException | ClassCastException e) {
        error("bad_request", "the job's request is not a JSON object", false, 400);
        return;
      }
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
      try {
        error("agent_error", "the node agent failed", true, null);
      } catch (IOException ignored) {
        // the connection is gone too
      }
    }
  }

  @Override
  public synchronized void chunk(ObjectNode chunk) throws IOException {
    send(new Frame.Chunk(job.jobId(), seq++, chunk));
  }

  @Override
  public synchronized void result(ObjectNode completion) throws IOException {
    finish(new Frame.Result(job.jobId(), seq++, completion));
  }

  @Override
  public synchronized void done(Usage usage, boolean estimated) throws IOException {
    finish(new Frame.Done(job.jobId(), seq++, usage, estimated));
  }

  @Override
  public synchronized void error(String code, String message, boolean retryable, Integer status)
      throws IOException {
    finish(new Frame.JobError(job.jobId(), seq++, code, message, retryable, status));
  }

  private void finish(Frame frame) throws IOException {
    if (finished) {
      throw new IllegalStateException("job " + job.jobId() + " already finished");
    }
    finished = true;
    send(frame);
  }

  private void send(Frame frame) throws IOException {
    if (cancellation.isCancelled()) {
      throw new IOException("job cancelled");
    }
    try {
      sender.send(frame);
    } catch (IOException e) {
      cancellation.cancel(); // nobody is listening: stop the upstream as well
      throw e;
    }
  }
}
