package dev.pinaivu.core.chat;

import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.Caller;
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
 * [DONE]}.
 */
public final class ChatCompletionService {
  private static final Logger log = LoggerFactory.getLogger(ChatCompletionService.class);

  private final Authenticator authenticator;
  private final Admission admission;
  private final NodeDirectory directory;
  private final JobDispatcher dispatcher;
  private final Router router;
  private final Clock clock;
  private final ChatSettings settings;

  public ChatCompletionService(
      Authenticator authenticator,
      Admission admission,
      NodeDirectory directory,
      JobDispatcher dispatcher,
      Router router,
      Clock clock,
      ChatSettings settings) {
    this.authenticator = authenticator;
    this.admission = admission;
    this.directory = directory;
    this.dispatcher = dispatcher;
    this.router = router;
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
    try {
      serve(requestId, request, ticket, sink);
    } catch (ApiException e) {
      ticket.release(); // thrown before any output reached the client: nothing was used
      throw e;
    }
  }

  private void serve(RequestId requestId, ChatRequest request, Ticket ticket, ChatSink sink)
      throws InterruptedException {
    List<NodeCandidate> ranked = router.rank(directory.candidates(request.model()));
    if (ranked.isEmpty()) {
      throw ApiException.noCapacity(request.model());
    }
    long now = clock.millis();
    ResponseRewriter rewriter = new ResponseRewriter(requestId, request.model(), now / 1000);
    Job job =
        new Job(
            requestId,
            request.model(),
            request.stream(),
            request.text(),
            now + settings.maxJobDuration().toMillis(),
            null);
    int attempts = 0;
    for (NodeCandidate candidate : ranked) {
      if (attempts == settings.maxAttempts()) {
        break;
      }
      attempts++;
      JobStream stream;
      try {
        stream = dispatcher.dispatch(candidate.nodeId(), job);
      } catch (NodeUnavailableException e) {
        log.debug("{} node {} unavailable: {}", requestId, candidate.nodeId(), e.getMessage());
        continue;
      }
      Relay.Outcome outcome;
      try (stream) {
        outcome = new Relay(stream, request, rewriter, sink, settings).run();
      }
      switch (outcome) {
        case Relay.Outcome.Delivered d -> {
          directory.recordSuccess(candidate.nodeId(), d.firstOutputMs());
          ticket.settle(d.usage()); // keys and limits: TPM counts what the node reported
          return;
        }
        case Relay.Outcome.Retry r -> {
          directory.recordFailure(candidate.nodeId());
          log.info("{} failing over from node {}: {}", requestId, candidate.nodeId(), r.reason());
        }
        case Relay.Outcome.Rejected r -> throw r.error();
        case Relay.Outcome.Broken b -> {
          directory.recordFailure(candidate.nodeId());
          log.warn("{} stream broke on node {}: {}", requestId, candidate.nodeId(), b.reason());
          return;
        }
        case Relay.Outcome.ClientGone g -> {
          log.info("{} client disconnected; job cancelled", requestId);
          return;
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
}
