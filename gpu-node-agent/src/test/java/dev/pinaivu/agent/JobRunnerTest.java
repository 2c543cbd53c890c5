package dev.pinaivu.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.agent.backend.Cancellation;
import dev.pinaivu.agent.backend.InferenceBackend;
import dev.pinaivu.agent.backend.JobOutput;
import dev.pinaivu.agent.backend.ModelInfo;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.DispatchTokenVerifier;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The node's gate and what it hands its inference server, with tokens a real coordinator signs. */
class JobRunnerTest {
  private static final String MODEL = "m";
  private static final TokenPrice PRICE = new TokenPrice(150_000, 600_000);

  private final CoordinatorService coordinator =
      CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500)));
  private final NodeKey node = NodeKey.generate();
  private final List<String> sent = new ArrayList<>();
  private final List<ObjectNode> upstream = new ArrayList<>();

  private final InferenceBackend backend =
      new InferenceBackend() {
        @Override
        public List<ModelInfo> models() {
          return List.of();
        }

        @Override
        public void complete(ObjectNode request, boolean stream, JobOutput out, Cancellation cancel)
            throws java.io.IOException {
          upstream.add(request);
          ObjectNode completion = Json.object();
          completion.putArray("choices").addObject().putObject("message").put("content", "hi");
          completion.set("usage", Usage.of(3, 1).toJson());
          out.result(completion);
        }

        @Override
        public String describe() {
          return "test backend";
        }
      };

  /** A job for this node, its token priced by the coordinator from {@code offered}. */
  private Frame.Job job(String body, TokenPrice offered) {
    SignedOffer offer =
        SignedOffer.sign(
            new NodeOffer(node.id(), 1, 4, List.of(new ModelOffer(MODEL, offered, null))), node);
    RequestId id = RequestId.next();
    String token =
        coordinator
            .dispatch(
                new Coordinator.DispatchRequest(
                    id.value(),
                    Sha256.hex(body.getBytes(UTF_8)),
                    MODEL,
                    node.publicKey(),
                    offer,
                    1000,
                    512))
            .wire();
    return new Frame.Job(
        id.value(), MODEL, false, body, System.currentTimeMillis() + 60_000, token);
  }

  /** The job as a gateway sends it for {@code api}. */
  private Frame.Job job(String body, TokenPrice offered, String api) {
    Frame.Job chat = job(body, offered);
    return new Frame.Job(
        chat.jobId(),
        chat.model(),
        chat.stream(),
        chat.request(),
        chat.deadlineMs(),
        chat.dispatchToken(),
        api);
  }

  @Test
  void aResponsesJob_runsAsTheChatCompletionItTranslatesTo_itsTokenOverTheClientsBytes()
      throws Exception {
    String body = "{\"model\":\"m\",\"instructions\":\"brief\",\"input\":\"hi\"}";

    run(job(body, PRICE, "responses"), Optional.of(PRICE));

    assertThat(upstream).hasSize(1);
    assertThat(upstream.getFirst().get("messages").toString())
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"brief\"},{\"role\":\"user\",\"content\":\"hi\"}]");
    assertThat(upstream.getFirst().has("input")).isFalse();
    assertThat(upstream.getFirst().get("max_tokens").asInt()).isEqualTo(512);
    assertThat(lastFrame().get("type").asText()).isEqualTo("proof");
  }

  @Test
  void aResponsesJobThatCannotTranslate_orAnUnknownApi_isABadRequest_andNothingRuns()
      throws Exception {
    run(
        job("{\"model\":\"m\",\"input\":\"hi\",\"store\":true}", PRICE, "responses"),
        Optional.of(PRICE));
    run(job("{\"model\":\"m\",\"messages\":[]}", PRICE, "completions-v9"), Optional.of(PRICE));

    assertThat(upstream).isEmpty();
    List<JsonNode> errors = new ArrayList<>();
    for (String frame : sent) {
      JsonNode json = Json.parse(frame);
      if (json.get("type").asText().equals("job_error")) {
        errors.add(json);
      }
    }
    assertThat(errors)
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.get("code").asText()).isEqualTo("bad_request"));
  }

  private void run(Frame.Job job, Optional<TokenPrice> myPrice) {
    DispatchTokenVerifier tokens =
        new DispatchTokenVerifier(
            new TrustedKeys(List.of(coordinator.identity()), true), node.id(), Clock.systemUTC());
    new JobRunner(
            job, sent::add, Verification.valid(tokens), new ProofWriter(node), model -> myPrice)
        .run(backend);
  }

  private JsonNode lastFrame() throws Exception {
    return Json.parse(sent.getLast());
  }

  @Test
  void aTokenPayingItsOffer_runs_andTheProofFollows() throws Exception {
    run(job("{\"model\":\"m\",\"messages\":[]}", PRICE), Optional.of(PRICE));

    assertThat(upstream).hasSize(1);
    assertThat(lastFrame().get("type").asText()).isEqualTo("proof");
  }

  @Test
  void aTokenPayingLessThanTheNodesCurrentOffer_isRefused_andNothingRuns() throws Exception {
    // priced from an older, cheaper offer: the node now asks more
    run(job("{\"model\":\"m\",\"messages\":[]}", new TokenPrice(1, 1)), Optional.of(PRICE));

    assertThat(upstream).isEmpty();
    JsonNode error = lastFrame();
    assertThat(error.get("type").asText()).isEqualTo("job_error");
    assertThat(error.get("code").asText()).isEqualTo("bad_dispatch_token");
    assertThat(error.get("message").asText()).contains("less than this node's offer");
  }

  @Test
  void aNodeThatRefusedADevCoordinator_refusesEachJob_sayingWhichFlagToAdd() throws Exception {
    Verification<DispatchTokenVerifier> untrusted =
        new CoordinatorTrust(false, null)
            .check(coordinator.identity().toWire())
            .failure(""); // what NodeAgent keeps from the welcome

    new JobRunner(
            job("{\"model\":\"m\",\"messages\":[]}", PRICE),
            sent::add,
            untrusted,
            new ProofWriter(node),
            model -> Optional.of(PRICE))
        .run(backend);

    assertThat(upstream).isEmpty();
    assertThat(lastFrame().get("message").asText())
        .contains("DEV (non-enclave) coordinator")
        .contains("--trust-dev-coordinator");
  }

  @Test
  void aModelTheNodeNoLongerOffers_isRefused() throws Exception {
    run(job("{\"model\":\"m\",\"messages\":[]}", PRICE), Optional.empty());

    assertThat(upstream).isEmpty();
    assertThat(lastFrame().get("message").asText()).contains("does not offer model m");
  }

  @Test
  void withoutMaxTokens_theUpstreamIsAskedForTheTokensLimit_andTheRoutingParameterIsDropped()
      throws Exception {
    String body =
        "{\"model\":\"m\",\"n\":2,\"provider\":{\"max_price\":{\"prompt\":1}},\"messages\":[]}";

    run(job(body, PRICE), Optional.of(PRICE));

    assertThat(upstream.getFirst().get("max_tokens").asInt()).isEqualTo(256);
    assertThat(upstream.getFirst().has("provider")).isFalse();
  }

  @Test
  void theClientsOwnMaxTokens_isLeftAsItIs() throws Exception {
    run(job("{\"model\":\"m\",\"max_tokens\":7,\"messages\":[]}", PRICE), Optional.of(PRICE));

    assertThat(upstream.getFirst().get("max_tokens").asInt()).isEqualTo(7);
  }
}
