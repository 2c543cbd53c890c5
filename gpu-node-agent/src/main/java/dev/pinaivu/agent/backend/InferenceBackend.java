package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/** What runs the model: an OpenAI-compatible inference server, or the built-in demo. */
public interface InferenceBackend {
  /** The models it serves now. */
  List<ModelInfo> models() throws IOException;

  /**
   * Runs one chat completion and reports it to {@code out}, ending with exactly one of {@code
   * result}, {@code done} or {@code error} unless {@code cancel} fires first.
   *
   * @param request the client's body, every parameter intact
   */
  void complete(ObjectNode request, boolean stream, JobOutput out, Cancellation cancel)
      throws IOException, InterruptedException;

  /** A short description for logs, e.g. the upstream URL. */
  String describe();
}
