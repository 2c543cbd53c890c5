package dev.pinaivu.core.chat;

import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.billing.FinishedJob;
import dev.pinaivu.core.billing.PendingSettlement;
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
import dev.pinaivu.core.limits.InsufficientCreditException;
import dev.pinaivu.core.limits.Reservations;
import dev.pinaivu.core.limits.Ticket;
import dev.pinaivu.core.metering.ClaimCheck;
import dev.pinaivu.core.metering.PromptLimit;
import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.openai.ChatRequestParser;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.routing.NodeCandidate;
import dev.pinaivu.core.routing.NodeDirectory;
import dev.pinaivu.core.routing.PriceCeilings;
import dev.pinaivu.core.routing.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case {@code POST /v1/chat/completions}: authenticate, validate, route, dispatch, relay. A
 * node that fails before its first token is replaced silently by the next in the fallback list;
 * once output has reached the client, a failure ends the stream with an error event and no {@code
 * [DONE]}.
 *
 * <p>Money before work: only nodes within the operator's price ceiling and the client's {@code
 * provider.max_price} are tried, and before each attempt the attempt's most possible charge (its
 * dispatch token's limits at the node's price, plus the fee) is held against the account's credit
 * and the key's budget ({@link Reservations}); settlement never bills more than that.
 */
public final class ChatCompletionService {
  private static final Logger log = LoggerFactory.getLogger(ChatCompletionService.class);

  /** What a client is told to wait when every node is full: jobs free slots within seconds. */
  static final int CAPACITY_RETRY_AFTER_SECONDS = 1;

  /**
   * How long the last bytes of a whole answer wait for the node's proof, so that its bill is kept
   * before the client holds the answer; an honest node proves within milliseconds of its output.
   */
  static final Duration PROOF_BEFORE_LAST_WRITE = Duration.ofSeconds(2);

  private final Authenticator authenticator;
  private final Admission admission;
  private final NodeDirectory directory;
  private final JobDispatcher dispatcher;
  private final Router router;
  private final Coordinator coordinator;
  private final RequestSettler settler;
  private final Reservations holds;
  private final PriceCeilings ceilings;
  private final ClaimCheck claims;
  private final Clock clock;
  private final ChatSettings settings;

  /** What serves a chat completion: the use cases and ports it calls, and its policies. */
  public record Parts(
      Authenticator authenticator,
      Admission admission,
      NodeDirectory directory,
      JobDispatcher dispatcher,
      Router router,
      Coordinator coordinator,
      RequestSettler settler,
      Reservations holds,
      PriceCeilings ceilings,
      ClaimCheck claims) {}

  public ChatCompletionService(Parts parts, Clock clock, ChatSettings settings) {
    this.authenticator = parts.authenticator();
    this.admission = parts.admission();
    this.directory = parts.directory();
    this.dispatcher = parts.dispatcher();
    this.router = parts.router();
    this.coordinator = parts.coordinator();
    this.settler = parts.settler();
    this.holds = parts.holds();
    this.ceilings = parts.ceilings();
    this.claims = parts.claims();
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
    complete(authorization, body, ChatRequestParser::parse, sink);
  }

  /**
   * Serves one request of another API that runs as a chat completion: {@code parser} reads the
   * client's body into the chat request it runs as (after the key is checked, so that a bad key is
   * told before a bad body, as the OpenAI API does).
   *
   * @throws ApiException for every failure that happens before output started
   */
  public void complete(
      String authorization, byte[] body, Function<byte[], ChatRequest> parser, ChatSink sink)
      throws InterruptedException {
    RequestId requestId = RequestId.next();
    sink.accepted(requestId);
    Caller caller = authenticator.authenticate(authorization);
    sink.identified(caller);
    ChatRequest request = parser.apply(body);
    sink.parsed(request.model(), request.stream());
    // Keys and limits (ADR 9): 403 scope or model, 429 quota or rate; the ticket holds the tokens.
    Ticket ticket = admission.admit(caller, request);
    sink.admitted(ticket.status());
    settler.expect(requestId); // before any output, so a receipt asked for at once waits for it
    boolean settling = false;
    try {
      settling = serve(requestId, caller, body, request, ticket, sink);
    } catch (ApiException e) {
      admission.release(ticket); // thrown before any output reached the client: nothing was used
      throw e;
    } finally {
      if (!settling) {
        settler.abandon(requestId); // also gives back what was held for it
      }
    }
  }

  /** Returns whether an attempt was handed to the settler (which then releases the hold). */
  private boolean serve(
      RequestId requestId,
      Caller caller,
      byte[] body,
      ChatRequest request,
      Ticket ticket,
      ChatSink sink)
      throws InterruptedException {
    // a full node refuses the job anyway: neither a token nor a hold is spent on it (ADR 19)
    List<NodeCandidate> offering = directory.candidates(request.model());
    if (offering.isEmpty() && !directory.offeredRecently(request.model())) {
      throw ApiException.modelNotFound(request.model()); // a typo is not worth a retry (ADR 29)
    }
    // an older agent would run a Responses body as a chat request: only nodes that say so run it
    List<NodeCandidate> live = offering.stream().filter(c -> c.runs(request.api())).toList();
    if (live.isEmpty() && !offering.isEmpty()) {
      throw new ApiException(
          ErrorKind.NO_CAPACITY,
          "No node serving model '"
              + request.model()
              + "' runs the Responses API yet (their agents predate it); use"
              + " /v1/chat/completions, or retry later.",
          "model",
          "no_node_available");
    }
    List<NodeCandidate> fitting = ContextFit.fitting(live, request);
    List<NodeCandidate> ranked =
        router.rank(CandidatePrices.within(fitting, request, ceilings)).stream()
            .filter(NodeCandidate::hasFreeSlot)
            .toList();
    if (ranked.isEmpty()) {
      throw ApiException.capacityExceeded(request.model(), CAPACITY_RETRY_AFTER_SECONDS);
    }
    ClientPresence client = ClientPresence.of(sink);
    String requestSha256 = Sha256.hex(body);
    long promptLimit = PromptLimit.of(request.bodyBytes(), request.body());
    long completionLimit =
        (long) request.choices()
            * (request.maxTokens() != null ? request.maxTokens() : settings.defaultMaxTokens());
    ResponseRewriter rewriter =
        new ResponseRewriter(requestId, request.model(), clock.millis() / 1000);
    // one request's clocks over every attempt (ADR 23)
    long answerBy = System.nanoTime() + settings.answerTimeout().toNanos();
    KeepAlive keepAlive =
        new KeepAlive(sink, request.stream(), settings.keepAliveInterval(), System.nanoTime());
    int attempts = 0;
    boolean dispatched = false;
    InsufficientCreditException unaffordable = null;
    for (NodeCandidate candidate : ranked) {
      if (attempts == settings.maxAttempts()
          || (!request.stream() && System.nanoTime() >= answerBy)) {
        break;
      }
      if (client.gone()) {
        log.info("{} client disconnected before any output; nothing more is tried", requestId);
        return false;
      }
      SignedDispatchToken token =
          dispatchToken(requestId, requestSha256, candidate, request, promptLimit, completionLimit);
      if (token == null) {
        continue;
      }
      try {
        holds.hold(requestId, caller, token.token().maxChargeMicros());
      } catch (InsufficientCreditException e) {
        unaffordable = unaffordable == null ? e : unaffordable;
        continue; // a cheaper node further down may still fit
      }
      attempts++;
      sink.attempting(candidate.nodeId(), attempts);
      Job job =
          new Job(
              requestId,
              request.model(),
              request.stream(),
              request.text(),
              clock.millis() + jobMillis(request.stream(), answerBy),
              token.wire(),
              request.api());
      JobStream stream;
      long dispatchedAt = clock.millis();
      try {
        stream = dispatcher.dispatch(candidate.nodeId(), job);
      } catch (NodeUnavailableException e) {
        log.debug("{} node {} unavailable: {}", requestId, candidate.nodeId(), e.getMessage());
        continue;
      }
      dispatched = true;
      Relay relay =
          new Relay(
              stream,
              request,
              rewriter,
              sink,
              settings,
              token.token(),
              candidate.nodeId(),
              client::gone,
              new AttemptDeadlines(settings, request.stream(), answerBy, System.nanoTime()),
              keepAlive);
      Relay.Outcome outcome;
      PendingSettlement[] kept = new PendingSettlement[1];
      try (stream) {
        client.attach(stream);
        outcome =
            relay.run(responseSha256 ->
                kept[0] =
                    settler.keepBeforeLastWrite(
                        finished(
                            requestId,
                            caller,
                            candidate,
                            stream,
                            token,
                            relay,
                            dispatchedAt,
                            responseSha256,
                            null),
                        PROOF_BEFORE_LAST_WRITE));
      } finally {
        client.detach();
      }
      boolean settle = relay.reachedClient() || outcome instanceof Relay.Outcome.ClientGone;
      if (kept[0] != null) {
        settler.submitKept(kept[0]); // what the client was about to hold when it was kept
      } else if (settle) {
        settler.submit(
            finished(
                requestId,
                caller,
                candidate,
                stream,
                token,
                relay,
                dispatchedAt,
                sink.sentSha256(),
                stopReason(outcome)));
      }
      switch (outcome) {
        case Relay.Outcome.Delivered d -> {
          directory.recordSuccess(candidate.nodeId(), d.firstOutputMs());
          if (relay.overclaimed(claims)) {
            log.warn(
                "{} node {} claimed more tokens than it delivered", requestId, candidate.nodeId());
            directory.recordOverclaim(candidate.nodeId());
          }
          admission.settle(ticket, d.usage()); // TPM counts what was shown and billed
          return settle;
        }
        case Relay.Outcome.Retry r -> {
          if (relay.missedDeadline()) { // a failure that was also slow (ADR 22)
            directory.recordDeadlineMiss(candidate.nodeId(), clock.millis() - dispatchedAt);
          } else {
            directory.recordFailure(candidate.nodeId());
          }
          log.info("{} failing over from node {}: {}", requestId, candidate.nodeId(), r.reason());
        }
        case Relay.Outcome.Rejected r -> throw r.error();
        case Relay.Outcome.Broken b -> {
          directory.recordFailure(candidate.nodeId());
          log.warn("{} stream broke on node {}: {}", requestId, candidate.nodeId(), b.reason());
          return settle;
        }
        case Relay.Outcome.ClientGone g -> {
          log.info("{} client disconnected; job cancelled", requestId);
          if (!relay.reachedClient()) {
            admission.release(ticket); // nothing reached the client: it used nothing of its limits
          }
          return settle;
        }
      }
    }
    if (attempts == 0 && unaffordable != null) {
      throw unaffordable;
    }
    if (attempts > 0 && !dispatched) {
      // every node looked free and refused: others took the last slots since (ADR 19)
      throw ApiException.capacityExceeded(request.model(), CAPACITY_RETRY_AFTER_SECONDS);
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

  /** How long the node may run the job: a non-streamed one no longer than the request may take. */
  private long jobMillis(boolean stream, long answerBy) {
    long job = settings.maxJobDuration().toMillis();
    return stream ? job : Math.min(job, Math.max(1, (answerBy - System.nanoTime()) / 1_000_000));
  }

  private FinishedJob finished(
      RequestId requestId,
      Caller caller,
      NodeCandidate candidate,
      JobStream stream,
      SignedDispatchToken token,
      Relay relay,
      long dispatchedAt,
      String clientResponseSha256,
      String stopped) {
    Long firstOutputAt = relay.reachedClient() ? relay.firstOutputAtMs(dispatchedAt) : null;
    // The first output is timed with nanoTime from the dispatch; the end with the wall clock,
    // which may not have ticked since: the end is never before the first output.
    long endedAt = Math.max(clock.millis(), firstOutputAt == null ? dispatchedAt : firstOutputAt);
    return new FinishedJob(
        caller,
        requestId,
        candidate.nodeId(),
        stream,
        token,
        candidate.signedOffer(),
        dispatchedAt,
        firstOutputAt,
        endedAt,
        clientResponseSha256,
        relay.deliveredCompletionLimit(),
        relay.shownUsage(),
        stopped);
  }

  /** Why a job that is settled anyway stopped early; null when it did not. */
  private static String stopReason(Relay.Outcome outcome) {
    return switch (outcome) {
      case Relay.Outcome.Broken b -> b.reason();
      case Relay.Outcome.ClientGone g -> "client disconnected";
      default -> null;
    };
  }

  /**
   * The coordinator's authorisation for this node to run this request at its offered price; null
   * when the coordinator refuses this node's offer (then the next node is tried).
   */
  private SignedDispatchToken dispatchToken(
      RequestId requestId,
      String requestSha256,
      NodeCandidate candidate,
      ChatRequest request,
      long promptLimit,
      long completionLimit) {
    try {
      return coordinator.dispatch(
          new Coordinator.DispatchRequest(
              requestId.value(),
              requestSha256,
              request.model(),
              candidate.publicKey(),
              candidate.signedOffer(),
              promptLimit,
              completionLimit));
    } catch (IllegalArgumentException e) {
      log.warn("{} no token for node {}: {}", requestId, candidate.nodeId(), e.getMessage());
      return null;
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
