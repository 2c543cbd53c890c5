package dev.pinaivu.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.functions.store.NetworkTable;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The serverless stack as synthesized (from a placeholder package): the routes go to handler
 * classes that exist, each function may call only what its adapters call, the table is the one the
 * adapters create, and cdk-nag's AwsSolutions pack passes with the findings we accept.
 */
class ServerlessStackTest {
  private static final Synth SYNTH = new Synth();

  private static final class Synth {
    final ServerlessStack stack;
    final Template template;
    final Map<String, Map<String, Object>> resources;

    Synth() {
      try {
        Path dir = Files.createTempDirectory("serverless-stack-test");
        Path zip = Files.write(dir.resolve("placeholder-not-a-package.zip"), new byte[] {'P', 'K'});
        App app = App.Builder.create().outdir(dir.resolve("cdk.out").toString()).build();
        stack =
            new ServerlessStack(
                app,
                "TestServerless",
                StackProps.builder().build(),
                new ServerlessProps(
                    zip, "test-", "pinaivu-log", "test.pinaivu.dev/receipts", "10.0.1.10:7300"));
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().build()));
        template = Template.fromStack(stack);
        resources = Json.resources(template.toJSON().get("Resources"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<Map<String, Object>> ofType(String type) {
      return resources.values().stream()
          .filter(r -> type.equals(r.get("Type")))
          .map(r -> Json.map(r.getOrDefault("Properties", Map.of())))
          .toList();
    }
  }

  @Test
  void everyFunctionsHandler_isAClassOfTheFunctionsModule() throws Exception {
    List<String> handlers =
        SYNTH.ofType("AWS::Lambda::Function").stream()
            .map(f -> (String) f.get("Handler"))
            .filter(h -> !h.equals(ChatFunctions.CHAT_HANDLER))
            .toList();

    assertThat(handlers).hasSize(8); // six buffered API handlers, the settle function, the sweep
    assertThat(Class.forName(ChatFunctions.CHAT_HANDLER).getConstructor()).isNotNull();
    assertThat(dev.pinaivu.functions.runtime.StreamingHandler.class)
        .isAssignableFrom(Class.forName(ChatFunctions.CHAT_HANDLER));
    for (String handler : handlers) {
      String type = handler.substring(0, handler.indexOf("::"));
      Class<?> cls = Class.forName(type);
      assertThat(cls.getConstructor())
          .as(type + " has the runtime's no-argument constructor")
          .isNotNull();
      assertThat(cls.getMethods())
          .anySatisfy(m -> assertThat(m.getName()).isEqualTo("handleRequest"));
    }
    assertThat(SYNTH.ofType("AWS::Lambda::Function"))
        .allSatisfy(f -> {
          assertThat(f.get("Runtime")).isEqualTo("java25");
          assertThat(Json.map(Json.map(f.get("Environment")).get("Variables")))
              .containsEntry("PINAIVU_TABLE_PREFIX", "test-");
        });
  }

  @Test
  void thePublicRoutes_areTheLocalGatewaysReadOnlyOnes() {
    List<String> paths =
        SYNTH.ofType("AWS::ApiGateway::Resource").stream()
            .map(r -> (String) r.get("PathPart"))
            .collect(Collectors.toList());
    assertThat(paths)
        .contains(
            "v1",
            "models",
            "{model}",
            "usage",
            "receipts",
            "{request_id}",
            "attestation",
            "log",
            "checkpoint",
            "inclusion",
            "consistency",
            "entries",
            "{index}");
    assertThat(SYNTH.ofType("AWS::ApiGateway::Method"))
        .filteredOn(m -> !"POST".equals(m.get("HttpMethod")))
        .allSatisfy(m -> assertThat(m.get("HttpMethod")).isEqualTo("GET"));
    assertThat(SYNTH.ofType("AWS::ApiGatewayV2::Route").stream().map(r -> r.get("RouteKey")))
        .containsExactlyInAnyOrder("$connect", "$disconnect", "$default");
    assertThat(SYNTH.ofType("AWS::ApiGateway::RestApi"))
        .singleElement()
        .satisfies(api ->
            assertThat(Json.map(api.get("EndpointConfiguration")).get("Types"))
                .isEqualTo(List.of("REGIONAL")));
  }

  @Test
  void theReadOnlyFunctions_mayOnlyReadTheTable_andOnlyTheSocketFunctionWritesOrPostsToNodes() {
    String policies = SYNTH.template.toJSON().get("Resources").toString();
    SYNTH.template.hasResourceProperties(
        "AWS::IAM::Policy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        Match.arrayWith(
                            List.of(
                                Match.objectLike(
                                    Map.of(
                                        "Action",
                                        List.of("dynamodb:GetItem", "dynamodb:Query"))))))))));
    long writers =
        SYNTH.ofType("AWS::IAM::Policy").stream()
            .filter(p -> p.toString().contains("dynamodb:PutItem"))
            .count();
    long posters =
        SYNTH.ofType("AWS::IAM::Policy").stream()
            .filter(p -> p.toString().contains("execute-api:ManageConnections"))
            .count();
    assertThat(writers)
        .as("the node socket, chat, settle and sweep functions' policies only")
        .isEqualTo(4);
    assertThat(posters).as("the node socket and chat functions").isEqualTo(2);
    assertThat(policies).doesNotContain("dynamodb:*").doesNotContain("dynamodb:Scan");
  }

  @Test
  void chat_streamsThroughOurRuntimeLoop_withSnapStart_behindAStreamingIntegration() {
    Map<String, Object> chat =
        SYNTH.ofType("AWS::Lambda::Function").stream()
            .filter(f -> ChatFunctions.CHAT_HANDLER.equals(f.get("Handler")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> env = Json.map(Json.map(chat.get("Environment")).get("Variables"));
    assertThat(env)
        .containsEntry("AWS_LAMBDA_EXEC_WRAPPER", ChatFunctions.STREAMING_WRAPPER)
        .containsEntry("PINAIVU_COORDINATOR", "10.0.1.10:7300")
        .containsEntry("PINAIVU_SECRET_PREFIX", "test-secrets/")
        .containsKey("PINAIVU_NODE_SOCKET_URL");
    assertThat(chat.get("Timeout")).isEqualTo(900);
    assertThat(Json.map(chat.get("SnapStart")).get("ApplyOn")).isEqualTo("PublishedVersions");
    assertThat(SYNTH.ofType("AWS::Lambda::Alias"))
        .singleElement()
        .satisfies(a -> assertThat(a.get("Name")).isEqualTo("live"));

    List<Map<String, Object>> posts =
        SYNTH.ofType("AWS::ApiGateway::Method").stream()
            .filter(m -> "POST".equals(m.get("HttpMethod")))
            .toList();
    assertThat(posts)
        .hasSize(2) // /v1/chat/completions and /v1/responses
        .allSatisfy(m -> {
          Map<String, Object> integration = Json.map(m.get("Integration"));
          assertThat(integration.get("ResponseTransferMode")).isEqualTo("STREAM");
          assertThat(integration.get("TimeoutInMillis")).isEqualTo(900_000);
          assertThat(integration.get("Uri").toString())
              .contains("response-streaming-invocations")
              .contains("ChatLive"); // the alias: SnapStart's published version
        });
    assertThat(SYNTH.ofType("AWS::ApiGateway::Resource").stream().map(r -> r.get("PathPart")))
        .contains("chat", "completions", "responses");
    assertThat(SYNTH.ofType("AWS::Events::Rule"))
        .singleElement()
        .satisfies(r -> assertThat(r.get("ScheduleExpression")).isEqualTo("rate(1 minute)"));
    assertThat(SYNTH.ofType("AWS::SecretsManager::Secret").stream().map(r -> r.get("Name")))
        .containsExactlyInAnyOrder("test-secrets/relay-secret", "test-secrets/account-ref-secret");
  }

  @Test
  void settleReminders_goToAQueueWithADeadLetterQueue_readByTheSettleFunction() {
    Map<String, Object> queue =
        SYNTH.ofType("AWS::SQS::Queue").stream()
            .filter(q -> "test-settle".equals(q.get("QueueName")))
            .findFirst()
            .orElseThrow();
    assertThat(queue.get("VisibilityTimeout")).as("6x the settle function's 30 s").isEqualTo(180);
    assertThat(queue.get("SqsManagedSseEnabled")).isEqualTo(true);
    assertThat(Json.map(queue.get("RedrivePolicy")).get("maxReceiveCount"))
        .isEqualTo(ChatFunctions.SETTLE_RECEIVES);
    assertThat(SYNTH.ofType("AWS::SQS::Queue").stream().map(q -> q.get("QueueName")))
        .containsExactlyInAnyOrder("test-settle", "test-settle-dlq");
    assertThat(SYNTH.ofType("AWS::Lambda::EventSourceMapping"))
        .singleElement()
        .satisfies(m -> {
          assertThat(m.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
          assertThat(m.get("BatchSize")).isEqualTo(10);
          assertThat(m.toString()).contains("SettleQueueHandler");
        });
    Map<String, Object> chat =
        SYNTH.ofType("AWS::Lambda::Function").stream()
            .filter(f -> ChatFunctions.CHAT_HANDLER.equals(f.get("Handler")))
            .findFirst()
            .orElseThrow();
    assertThat(Json.map(Json.map(chat.get("Environment")).get("Variables")))
        .containsKey("PINAIVU_SETTLE_QUEUE_URL");
    assertThat(
            SYNTH.ofType("AWS::IAM::Policy").stream()
                .filter(p -> p.toString().contains("sqs:SendMessage"))
                .map(p -> p.get("PolicyName").toString()))
        .as("only the chat function sends reminders")
        .singleElement()
        .asString()
        .startsWith("ChatHandlerRole");
  }

  @Test
  void everyFunction_hasErrorAndThrottleAlarms_andTheDeadLetterQueueOneToo() {
    List<Map<String, Object>> alarms = SYNTH.ofType("AWS::CloudWatch::Alarm");
    int functions = SYNTH.ofType("AWS::Lambda::Function").size();
    assertThat(alarms.stream().filter(a -> "Errors".equals(a.get("MetricName"))))
        .hasSize(functions);
    assertThat(alarms.stream().filter(a -> "Throttles".equals(a.get("MetricName"))))
        .hasSize(functions);
    assertThat(alarms)
        .anySatisfy(a -> {
          assertThat(a.get("MetricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
          assertThat(a.get("Namespace")).isEqualTo("AWS/SQS");
          assertThat(a.get("Threshold")).isEqualTo(1);
        })
        .anySatisfy(a -> assertThat(a.get("MetricName")).isEqualTo("5XXError"))
        .allSatisfy(a -> {
          assertThat(a.get("AlarmActions").toString()).contains("Alarms");
          assertThat(a.get("TreatMissingData")).isEqualTo("notBreaching");
        });
  }

  @Test
  void theTable_isTheOneTheAdaptersCreate() {
    Map<String, Object> table = SYNTH.ofType("AWS::DynamoDB::Table").getFirst();
    assertThat(table.get("TableName")).isEqualTo("test-network");
    assertThat(table.toString()).contains("ttl");
    List<Object> indexes = Json.list(table.get("GlobalSecondaryIndexes"));
    Map<String, Object> gsi1 =
        indexes.stream()
            .map(Json::map)
            .filter(i -> "gsi1".equals(i.get("IndexName")))
            .findFirst()
            .orElseThrow();
    assertThat(Json.map(gsi1.get("Projection")).get("NonKeyAttributes"))
        .isEqualTo(NetworkTable.GSI1_INCLUDES);
    assertThat(indexes).hasSize(2);
  }

  @Test
  void cdkNag_reportsNoErrorsOrWarnings() {
    assertThat(
            described(
                Annotations.fromStack(SYNTH.stack)
                    .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))))
        .isEmpty();
    assertThat(described(Annotations.fromStack(SYNTH.stack).findWarning("*", Match.anyValue())))
        .isEmpty();
  }

  /** Each finding as its resource path and message, so a failure says what to fix. */
  private static List<String> described(List<software.amazon.awscdk.cxapi.SynthesisMessage> found) {
    return found.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
  }

  @Test
  void aMissingPackage_isRefused_sayingHowToBuildIt() {
    assertThatThrownBy(() -> new ServerlessProps(Path.of("nope.zip"), null, null, null))
        .hasMessageContaining("./mvnw -DskipTests package");
    assertThatThrownBy(() -> new ServerlessProps(Path.of("pom.xml"), "p-", "log", null))
        .hasMessageContaining("together");
  }
}
