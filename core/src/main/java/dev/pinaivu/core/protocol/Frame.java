package dev.pinaivu.core.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.Usage;

/**
 * One WebSocket text frame of the node protocol, version {@value #PROTOCOL_VERSION}. The format is
 * specified in docs/node-protocol.md; this file is its executable form. Frames of a type this
 * version does not know decode to {@link Unknown} so that newer peers do not break older ones.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    include = JsonTypeInfo.As.PROPERTY,
    property = "type",
    defaultImpl = Frame.Unknown.class)
@JsonSubTypes({
  @JsonSubTypes.Type(value = Frame.Hello.class, name = "hello"),
  @JsonSubTypes.Type(value = Frame.Auth.class, name = "auth"),
  @JsonSubTypes.Type(value = Frame.Welcome.class, name = "welcome"),
  @JsonSubTypes.Type(value = Frame.Coordinator.class, name = "coordinator"),
  @JsonSubTypes.Type(value = Frame.Offer.class, name = "offer"),
  @JsonSubTypes.Type(value = Frame.Heartbeat.class, name = "heartbeat"),
  @JsonSubTypes.Type(value = Frame.Job.class, name = "job"),
  @JsonSubTypes.Type(value = Frame.JobPart.class, name = "job_part"),
  @JsonSubTypes.Type(value = Frame.Cancel.class, name = "cancel"),
  @JsonSubTypes.Type(value = Frame.JobAccept.class, name = "job_accept"),
  @JsonSubTypes.Type(value = Frame.JobRefuse.class, name = "job_refuse"),
  @JsonSubTypes.Type(value = Frame.Chunk.class, name = "chunk"),
  @JsonSubTypes.Type(value = Frame.Result.class, name = "result"),
  @JsonSubTypes.Type(value = Frame.Done.class, name = "done"),
  @JsonSubTypes.Type(value = Frame.JobError.class, name = "job_error"),
  @JsonSubTypes.Type(value = Frame.Proof.class, name = "proof"),
  @JsonSubTypes.Type(value = Frame.Error.class, name = "error"),
})
public sealed interface Frame {
  int PROTOCOL_VERSION = 1;

  /** Gateway -> node, first frame: the challenge to sign. */
  record Hello(int protocol, String nonce, long serverTimeMs) implements Frame {
    public Hello {
      require(nonce, "nonce");
    }
  }

  /**
   * Node -> gateway: proves possession of the node key by signing the challenge.
   *
   * @param apis the APIs whose jobs the node runs ({@code chat}, {@code responses}); absent or null
   *     (older agents): chat only
   */
  record Auth(
      int protocol,
      NodeId nodeId,
      String publicKey,
      String signature,
      String agent,
      java.util.List<String> apis)
      implements Frame {
    public Auth {
      require(nodeId, "node_id");
      require(publicKey, "public_key");
      require(signature, "signature");
    }

    /** An agent that runs chat jobs only, as agents before the Responses API did. */
    public Auth(int protocol, NodeId nodeId, String publicKey, String signature, String agent) {
      this(protocol, nodeId, publicKey, signature, agent, null);
    }
  }

  /**
   * Gateway -> node: authenticated; send an offer and then heartbeats at this interval. {@code
   * coordinator} is the key that signs dispatch tokens, with its attestation, for the node to check
   * before it trusts it.
   */
  record Welcome(NodeId nodeId, long heartbeatIntervalMs, CoordinatorInfo coordinator)
      implements Frame {}

  /**
   * Gateway -> node, at any time after {@code welcome}: the coordinator now signs dispatch tokens
   * with this key (it restarted). The node checks it as it checked the key of {@code welcome} and,
   * if it trusts it, accepts its tokens as well as those of the keys it trusted already.
   */
  record Coordinator(CoordinatorInfo coordinator) implements Frame {
    public Coordinator {
      require(coordinator, "coordinator");
    }
  }

  /**
   * A coordinator key as the gateway announces it.
   *
   * @param kind {@code dev} (software key, proves nothing) or {@code nitro}
   * @param attestation base64url of the attestation document; null when there is none
   */
  record CoordinatorInfo(String keyId, String publicKey, String kind, String attestation) {
    public CoordinatorInfo {
      require(keyId, "coordinator.key_id");
      require(publicKey, "coordinator.public_key");
      require(kind, "coordinator.kind");
    }
  }

  /**
   * Node -> gateway: a signed {@link dev.pinaivu.core.node.NodeOffer}, kept as the raw object so
   * the signature is checked over exactly what was sent.
   */
  record Offer(ObjectNode offer, String signature) implements Frame {
    public Offer {
      require(offer, "offer");
      require(signature, "signature");
    }
  }

  /** Node -> gateway: still alive, with its current load. */
  record Heartbeat(int activeJobs, long sentAtMs) implements Frame {}

  /**
   * Gateway -> node: run this chat completion. {@code request} is the client's body as a JSON
   * string holding exactly the text the client sent, every parameter intact: the node parses it to
   * run it and hashes it (UTF-8) to check the dispatch token. {@code stream} says whether to answer
   * with chunks or one result.
   *
   * @param dispatchToken the coordinator's signed authorisation; null until the coordinator exists
   * @param api which API {@code request} is for: {@code responses}, or {@code chat} (also when
   *     absent or null, as older gateways send it); see {@link dev.pinaivu.core.openai.ApiKind}
   */
  record Job(
      String jobId,
      String model,
      boolean stream,
      String request,
      long deadlineMs,
      String dispatchToken,
      String api)
      implements Frame {
    public Job {
      require(jobId, "job_id");
      require(model, "model");
      require(request, "request");
    }

    /** A chat completion job, as older gateways send it (no {@code api}). */
    public Job(
        String jobId,
        String model,
        boolean stream,
        String request,
        long deadlineMs,
        String dispatchToken) {
      this(jobId, model, stream, request, deadlineMs, dispatchToken, null);
    }
  }

  /**
   * Gateway -> node: piece {@code index} (0 to {@code count - 1}) of a {@code job} frame too large
   * for one message of API Gateway's WebSocket API (128 KB, ADR 27). The pieces' {@code data},
   * joined in index order, is the encoded {@code job} frame; {@link JobParts} cuts and joins them.
   */
  record JobPart(String jobId, int index, int count, String data) implements Frame {
    public JobPart {
      require(jobId, "job_id");
      require(data, "data");
      if (count < 1 || index < 0 || index >= count) {
        throw new IllegalArgumentException(
            "job_part index " + index + " is not one of the " + count + " parts");
      }
    }
  }

  /** Gateway -> node: stop this job (client gone, deadline passed); the node answers nothing. */
  record Cancel(String jobId, String reason) implements Frame {
    public Cancel {
      require(jobId, "job_id");
    }
  }

  /**
   * Node -> gateway: the node checked the job (its dispatch token, its price, its free slots) and
   * runs it. Sent within the gateway's accept deadline, before any output; carries no sequence
   * number.
   */
  record JobAccept(String jobId) implements Frame, JobFrame {
    public JobAccept {
      require(jobId, "job_id");
    }

    @Override
    public long seq() {
      return -1;
    }
  }

  /**
   * Node -> gateway: the node will not run this job; the gateway tries another node at once.
   *
   * @param reason why, for the operator's log; may be null
   */
  record JobRefuse(String jobId, String reason) implements Frame, JobFrame {
    public JobRefuse {
      require(jobId, "job_id");
    }

    @Override
    public long seq() {
      return -1;
    }
  }

  /** Node -> gateway: one {@code chat.completion.chunk} object of a streamed job. */
  record Chunk(String jobId, long seq, ObjectNode data) implements Frame, JobFrame {
    public Chunk {
      require(jobId, "job_id");
      require(data, "data");
    }
  }

  /** Node -> gateway: the whole {@code chat.completion} object of a non-streamed job. */
  record Result(String jobId, long seq, ObjectNode data) implements Frame, JobFrame {
    public Result {
      require(jobId, "job_id");
      require(data, "data");
    }
  }

  /**
   * Node -> gateway: the job finished; nothing follows for this id.
   *
   * @param usageEstimated true when the upstream gave no usage and the node counted itself
   */
  record Done(String jobId, long seq, Usage usage, boolean usageEstimated)
      implements Frame, JobFrame {
    public Done {
      require(jobId, "job_id");
      require(usage, "usage");
    }
  }

  /**
   * Node -> gateway: the job failed; nothing follows for this id.
   *
   * @param retryable true when another node may well succeed (upstream down, overloaded)
   * @param status the upstream's HTTP status when it answered with an error, else null
   */
  record JobError(
      String jobId, long seq, String code, String message, boolean retryable, Integer status)
      implements Frame, JobFrame {
    public JobError {
      require(jobId, "job_id");
      require(code, "code");
      message = message == null ? "" : message;
    }
  }

  /**
   * Node -> gateway: the signed proof of inference of a job, sent after its last frame ({@code
   * result}, {@code done} or {@code job_error}) or after a {@code cancel}. See docs/receipts.md.
   */
  record Proof(String jobId, ObjectNode proof, String signature) implements Frame {
    public Proof {
      require(jobId, "job_id");
      require(proof, "proof");
      require(signature, "signature");
    }
  }

  /** Either side: the connection is unusable (bad auth, malformed frame); close follows. */
  record Error(String code, String message) implements Frame {}

  /** A frame of a type this version does not know; ignored. */
  record Unknown() implements Frame {}

  /**
   * Frames that belong to one job and carry its sequence number (-1 for the reply to the job and
   * for frames the gateway makes itself, which are outside the sequence).
   */
  sealed interface JobFrame permits JobAccept, JobRefuse, Chunk, Result, Done, JobError {
    String jobId();

    long seq();
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing field: " + field);
    }
  }
}
