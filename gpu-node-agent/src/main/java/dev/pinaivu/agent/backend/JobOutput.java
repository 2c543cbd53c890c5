package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.openai.Usage;
import java.io.IOException;

/** Where a backend puts the answer to one job; each call becomes one protocol frame. */
public interface JobOutput {
  /** One {@code chat.completion.chunk} of a streamed job. */
  void chunk(ObjectNode chunk) throws IOException;

  /** The whole {@code chat.completion} of a non-streamed job (usage filled); ends the job. */
  void result(ObjectNode completion) throws IOException;

  /** A streamed job finished; ends the job. */
  void done(Usage usage, boolean estimated) throws IOException;

  /**
   * The job failed; ends the job.
   *
   * @param retryable whether another node may succeed where this one failed
   * @param status the inference server's HTTP status, if it answered with one
   */
  void error(String code, String message, boolean retryable, Integer status) throws IOException;
}
