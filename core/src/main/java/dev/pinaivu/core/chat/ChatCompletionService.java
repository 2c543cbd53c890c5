package dev.pinaivu.core.chat;

import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.billing.FinishedJob;
import dev.pinaivu.core.billing.RequestSettler;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobDispatcher;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.limits.Admission;
import dev.pinaivu.core.limits.Ticket;
import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.openai.ChatRequestParser;
import dev.pinaivu.core.routing.NodeCandidate;
import dev.pinaivu.core.routing.NodeDirectory;
import dev.pinaivu.core.routing.Router;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case {@code POST /v1/chat/completions}: authenticate, validate, route, dispatch, relay. A
 * node that fails before its first token is replaced silently by the next in the fallback list;
 * once output has reached the client, a failure ends the stream with an error event and no {@code
 * [DONE]}. A client that goes away cancels the attempt at once and is not failed over.
 */
public final class ChatCompletionService {
  private static final Logger log = LoggerFactory.getLogger(ChatCompletionService.class);

  private final Authenticator authenticator;
  private final Admission admission;
  private final NodeDirectory directory;
  private final JobDispatcher dispatcher;
  private final Router router;
  private final Coordinator coordinator;
  private final RequestSettler settler;
  private final Clock clock;
  private final ChatSettings settings;

  public ChatCompletionService(
      Authenticator authenticator,
      Admission admission,
      NodeDirectory directory,
      JobDispatcher dispatcher,
      Router router,
      Coordinator coordinator,
      RequestSettler settler,
      Clock clock,
      ChatSettings settings) {
    this.authenticator = authenticator;
    this.admission = admission;
    this.directory = directory;
    this.dispatcher = dispatcher;
    this.router = router;
    this.coordinator = coordinator;
    this.settler = settler;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * Serves one request into {@code sink}.
   *
   * @throws ApiException for every failure that happens before output started
   */
  public void complete(String authorization, byte[] body, ChatSink sink)
      throws InterruptedException {
    RequestId requestId = RequestId.next();
    sink.accepted(requestId);
    Caller caller = authenticator.authenticate(authorization);
    ChatRequest request = ChatRequestParser.parse(body);
    // Keys and limits (ADR 9): 403 scope or model, 429 quota or rate; the ticket holds the tokens.
    Ticket ticket = admission.admit(caller, request);
    sink.admitted(ticket.status());
    settler.expect(requestId); // before any output, so a receipt asked for at once waits for it
    boolean billed = false;
    try {
      billed = serve(requestId, caller, body, request, ticket, sink);
    } catch (ApiException e) {
      ticket.release(); // thrown before any output reached the client: nothing was used
      throw e;
    } finally {
      if (!billed) {
        settler.abandon(requestId);
      }
    }
  }

  /** Returns whether a job reached the client and was handed to the settler. */
  private boolean serve(
      RequestId requestId,
      Caller caller,
      byte[] body,
      ChatRequest request,
      Ticket ticket,
      ChatSink sink)
      throws InterruptedException {
    List<NodeCandidate> ranked = router.rank(directory.candidates(request.model()));
    if (ranked.isEmpty()) {
      throw ApiException.noCapacity(request.model());
    }
    ClientPresence client = ClientPresence.of(sink);
    String requestSha256 = Sha256.hex(body);
    long now = clock.millis();
    ResponseRewriter rewriter = new ResponseRewriter(requestId, request.model(), now / 1000);
    int attempts = 0;
    for (NodeCandidate candidate : ranked) {
      if (attempts == settings.maxAttempts()) {
        break;
      }
      if (client.gone()) {
        log.info("{} client disconnected before any output; nothing more is tried", requestId);
        return false;
      }
      attempts++;
      String token = dispatchToken(requestId, requestSha256, candidate, request);
      Job job =
          new Job(
              requestId,
              request.model(),
              request.stream(),
              request.text(),
              clock.millis() + settings.maxJobDuration().toMillis(),
              token);
      JobStream stream;
      long dispatchedAt = clock.millis();
      try {
        stream = dispatcher.dispatch(candidate.nodeId(), job);
      } catch (NodeUnavailableException e) {
        log.debug("{} node {} unavailable: {}", requestId, candidate.nodeId(), e.getMessage());
        continue;
      }
      Relay relay = new Relay(stream, request, rewriter, sink, settings, client::gone);
      Relay.Outcome outcome;
      try (stream) {
        client.attach(stream);
        outcome = relay.run();
      } finally {
        client.detach();
      }
      String stopped =
          switch (outcome) {
            case Relay.Outcome.Broken b -> b.reason();
            case Relay.Outcome.ClientGone g -> "client disconnected";
            default -> null;
          };
      boolean reachedClient = relay.reachedClient();
      if (reachedClient) {
        // The first output is timed with nanoTime from the dispatch; the end with the wall clock,
        // which may not have ticked since: the end is never before the first output.
        long firstOutputAt = relay.firstOutputAtMs(dispatchedAt);
        settler.submit(
            new FinishedJob(
                caller,
                requestId,
                candidate.nodeId(),
                stream,
                token,
                dispatchedAt,
                firstOutputAt,
                Math.max(clock.millis(), firstOutputAt),
                stopped));
      }
      switch (outcome) {
        case Relay.Outcome.Delivered d -> {
          directory.recordSuccess(candidate.nodeId(), d.firstOutputMs());
          ticket.settle(d.usage()); // keys and limits: TPM counts what the node reported
          return reachedClient;
        }
        case Relay.Outcome.Retry r -> {
          directory.recordFailure(candidate.nodeId());
          log.info("{} failing over from node {}: {}", requestId, candidate.nodeId(), r.reason());
        }
        case Relay.Outcome.Rejected r -> throw r.error();
        case Relay.Outcome.Broken b -> {
          directory.recordFailure(candidate.nodeId());
          log.warn("{} stream broke on node {}: {}", requestId, candidate.nodeId(), b.reason());
          return reachedClient;
        }
        case Relay.Outcome.ClientGone g -> {
          log.info("{} client disconnected; job cancelled", requestId);
          return reachedClient;
        }
      }
    }
    throw new ApiException(
        ErrorKind.NO_CAPACITY,
        "No GPU node could serve model '"
            + request.model()
            + "' ("
            + attempts
            + " tried). Retry later.",
        "model",
        "nodes_failed");
  }

  /** The coordinator's authorisation for this node to run this request at its offered price. */
  private String dispatchToken(
      RequestId requestId, String requestSha256, NodeCandidate candidate, ChatRequest request) {
    try {
      return coordinator
          .dispatch(
              new Coordinator.DispatchRequest(
                  requestId.value(),
                  requestSha256,
                  candidate.nodeId().value(),
                  request.model(),
                  candidate.offer().inputMicrosPerMtok(),
                  candidate.offer().outputMicrosPerMtok(),
                  request.maxTokens()))
          .wire();
    } catch (CoordinatorUnavailableException e) {
      log.error("{} coordinator unavailable: {}", requestId, e.getMessage());
      throw new ApiException(
          ErrorKind.NO_CAPACITY,
          "The network cannot authorise requests right now (coordinator unavailable). Retry later.",
          null,
          "coordinator_unavailable");
    }
  }
}
