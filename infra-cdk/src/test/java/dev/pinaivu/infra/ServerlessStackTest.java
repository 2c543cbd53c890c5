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
    final CoordinatorStack coordinator;
    final ServerlessStack stack;
    final Template template;
    final Map<String, Map<String, Object>> resources;

    Synth() {
      try {
        Path dir = Files.createTempDirectory("serverless-stack-test");
        Path zip = Files.write(dir.resolve("placeholder-not-a-package.zip"), new byte[] {'P', 'K'});
        App app = App.Builder.create().outdir(dir.resolve("cdk.out").toString()).build();
        PinaivuApp.CONTEXT.forEach(app.getNode()::setContext);
        coordinator =
            new CoordinatorStack(
                app, "TestCoordinator", StackProps.builder().build(), SynthesizedStack.props(dir));
        stack =
            new ServerlessStack(
                app,
                "TestServerless",
                StackProps.builder().build(),
                new ServerlessProps(zip, "test-", "pinaivu-log", "test.pinaivu.dev/receipts"),
                coordinator.functions());
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

    assertThat(handlers).hasSize(10); // six buffered API handlers, admin, poll, settle, sweep
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
        .filteredOn(m -> !"AWS_IAM".equals(m.get("AuthorizationType")))
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
  void theAdminRoutes_areTheLocalGatewaysOnes_eachIamAuthorized_invokableByTheOperatorPolicyOnly() {
    List<Map<String, Object>> iam =
        SYNTH.ofType("AWS::ApiGateway::Method").stream()
            .filter(m -> "AWS_IAM".equals(m.get("AuthorizationType")))
            .toList();
    assertThat(iam.stream().map(m -> m.get("HttpMethod")))
        .containsExactlyInAnyOrder("POST", "GET", "DELETE", "GET", "POST");
    assertThat(SYNTH.ofType("AWS::ApiGateway::Resource").stream().map(r -> r.get("PathPart")))
        .contains("admin", "keys", "{id}", "accounts", "credit");
    String admin = handlerFunction("dev.pinaivu.functions.api.AdminHandler::handleRequest");
    assertThat(iam)
        .allSatisfy(m -> assertThat(m.toString()).contains(admin))
        .as("every IAM method goes to the admin function");
    assertThat(SYNTH.ofType("AWS::ApiGateway::Method"))
        .filteredOn(m -> m.toString().contains(admin))
        .allSatisfy(m -> assertThat(m.get("AuthorizationType")).isEqualTo("AWS_IAM"))
        .as("and the admin function is reached by no open method");

    List<Map<String, Object>> operator =
        SYNTH.ofType("AWS::IAM::ManagedPolicy").stream()
            .filter(p -> p.toString().contains("execute-api:Invoke"))
            .toList();
    assertThat(operator).singleElement();
    String statement = operator.getFirst().get("PolicyDocument").toString();
    assertThat(statement).contains("/prod/*/admin/v1/*").doesNotContain("/v1/chat");
    assertThat(policyOf(admin))
        .containsAll(AdminApi.ADMIN_ACTIONS)
        .doesNotContain("dynamodb:DeleteItem", "execute-api:ManageConnections", "sqs:", "ssm:");
  }

  @Test
  void pollingNodes_exchangeFramesThroughTheirOwnRoute_andQueuesOfTheDeploymentsPrefixOnly() {
    String poll = handlerFunction(PollingNodes.NODE_POLL_HANDLER);
    assertThat(SYNTH.ofType("AWS::ApiGateway::Method"))
        .filteredOn(m -> m.toString().contains(poll))
        .singleElement()
        .satisfies(m -> {
          assertThat(m.get("HttpMethod")).isEqualTo("POST");
          assertThat(m.get("AuthorizationType")).isEqualTo("NONE"); // the node's signature
          assertThat(Json.map(m.get("Integration")).get("TimeoutInMillis")).isEqualTo(29_000);
        });
    assertThat(SYNTH.ofType("AWS::ApiGateway::Resource").stream().map(r -> r.get("PathPart")))
        .contains("nodes", "exchange");
    assertThat(policyOf(poll))
        .containsAll(PollingNodes.TAKE_ACTIONS)
        .contains("execute-api:ManageConnections")
        .doesNotContain("sqs:SendMessage", "dynamodb:TransactWriteItems");
    assertThat(policyOf(handlerFunction(ChatFunctions.CHAT_HANDLER)))
        .containsAll(PollingNodes.PUT_ACTIONS)
        .doesNotContain("sqs:ReceiveMessage");
    String statements = SYNTH.ofType("AWS::IAM::Policy").toString();
    assertThat(statements).contains("test-jobs-*").doesNotContain(":sqs:*");
    assertThat(SYNTH.ofType("AWS::Lambda::Function"))
        .filteredOn(f -> f.toString().contains("PINAIVU_JOB_QUEUE_PREFIX"))
        .hasSize(2)
        .allSatisfy(f ->
            assertThat(Json.map(Json.map(f.get("Environment")).get("Variables")))
                .containsEntry("PINAIVU_JOB_QUEUE_PREFIX", "test-jobs-"));
  }

  @Test
  void theChatFunction_mayRunTheConditionCheckInAHoldsTransaction() {
    // IAM governs each action inside TransactWriteItems; DynamoDbReservations checks that the
    // request is not settled with a ConditionCheck, which only dynamodb:ConditionCheckItem allows
    assertThat(policyOf(handlerFunction(ChatFunctions.CHAT_HANDLER)))
        .contains("dynamodb:ConditionCheckItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
  }

  /** The logical id of the function whose handler is {@code handler}. */
  private static String handlerFunction(String handler) {
    return SYNTH.resources.entrySet().stream()
        .filter(e -> "AWS::Lambda::Function".equals(e.getValue().get("Type")))
        .filter(e -> e.getValue().get("Properties").toString().contains(handler))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  /** The actions the inline policies attached to {@code function}'s role allow. */
  private static List<String> policyOf(String function) {
    String role = Json.map(SYNTH.resources.get(function).get("Properties")).get("Role").toString();
    return SYNTH.ofType("AWS::IAM::Policy").stream()
        .filter(p -> p.get("Roles").toString().contains(roleId(role)))
        .flatMap(p -> Json.list(Json.map(p.get("PolicyDocument")).get("Statement")).stream())
        .flatMap(st -> actions(Json.map(st).get("Action")).stream())
        .toList();
  }

  private static String roleId(String fnGetAtt) {
    int start = fnGetAtt.indexOf('[') + 1;
    return fnGetAtt.substring(start, fnGetAtt.indexOf(',', start)).trim();
  }

  private static List<String> actions(Object action) {
    return action instanceof List<?> list
        ? list.stream().map(Object::toString).toList()
        : List.of(action.toString());
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
        .as("the node socket, poll, admin, chat, settle and sweep functions' policies only")
        .isEqualTo(6);
    assertThat(posters).as("the node socket, poll and chat functions").isEqualTo(3);
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
        .containsEntry("PINAIVU_COORDINATOR_PARAMETERS", "/pinaivu/TestCoordinator/")
        .doesNotContainKey("PINAIVU_COORDINATOR")
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
            .filter(m -> !"AWS_IAM".equals(m.get("AuthorizationType"))) // the admin API's
            .filter(m -> !m.toString().contains(handlerFunction(PollingNodes.NODE_POLL_HANDLER)))
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
  void theCoordinatorsFunctions_runInTheirOwnVpc_peeredWithTheCoordinators_reachingOnlyItsPort() {
    Template coordinator = Template.fromStack(SYNTH.coordinator);
    List<Map<String, Object>> inVpc =
        SYNTH.ofType("AWS::Lambda::Function").stream()
            .filter(f -> f.containsKey("VpcConfig"))
            .toList();
    assertThat(inVpc.stream().map(f -> (String) f.get("Handler")))
        .as("the functions that reach the coordinator, and only they")
        .containsExactlyInAnyOrder(
            ChatFunctions.CHAT_HANDLER,
            ServerlessFunctions.HANDLERS + "SettleQueueHandler::handleRequest",
            ServerlessFunctions.HANDLERS + "SettleSweepHandler::handleRequest");

    assertThat(SYNTH.ofType("AWS::EC2::VPC"))
        .singleElement()
        .satisfies(v -> assertThat(v.get("CidrBlock")).isEqualTo(FunctionsNetwork.CIDR));
    assertThat(SYNTH.ofType("AWS::EC2::NatGateway")).hasSize(1);
    assertThat(SYNTH.ofType("AWS::EC2::FlowLog")).hasSize(1);
    Map<String, Object> peering =
        SYNTH.ofType("AWS::EC2::VPCPeeringConnection").stream().findFirst().orElseThrow();
    assertThat(String.valueOf(peering.get("PeerVpcId"))).contains("TestCoordinator");

    List<Map<String, Object>> routes =
        SYNTH.ofType("AWS::EC2::Route").stream()
            .filter(r -> r.containsKey("VpcPeeringConnectionId"))
            .toList();
    assertThat(
            routes.stream()
                .filter(r -> FunctionsNetwork.CIDR.equals(r.get("DestinationCidrBlock"))))
        .as("back from the coordinator's one isolated subnet")
        .hasSize(1)
        .allSatisfy(
            r -> assertThat(String.valueOf(r.get("RouteTableId"))).contains("TestCoordinator"));
    assertThat(
            routes.stream()
                .filter(r -> !FunctionsNetwork.CIDR.equals(r.get("DestinationCidrBlock"))))
        .as("to the coordinator from each of the functions' two private subnets")
        .hasSize(2);

    List<Map<String, Object>> ingress = SYNTH.ofType("AWS::EC2::SecurityGroupIngress");
    assertThat(ingress)
        .singleElement()
        .satisfies(rule -> {
          assertThat(rule.get("IpProtocol")).isEqualTo("tcp");
          assertThat(rule.get("FromPort")).isEqualTo(FunctionsEndpoint.PORT);
          assertThat(rule.get("ToPort")).isEqualTo(FunctionsEndpoint.PORT);
          assertThat(String.valueOf(rule.get("GroupId"))).contains("TestCoordinator");
          assertThat(rule).containsKey("SourceSecurityGroupId").doesNotContainKey("CidrIp");
        });
    // the coordinator's VPC keeps no path out: no NAT, no internet gateway, no rule of its own
    coordinator.resourceCountIs("AWS::EC2::NatGateway", 0);
    coordinator.resourceCountIs("AWS::EC2::InternetGateway", 0);
    assertThat(
            Json.resources(coordinator.toJSON().get("Resources")).values().stream()
                .filter(r -> "AWS::EC2::SecurityGroup".equals(r.get("Type")))
                .map(r -> Json.map(r.get("Properties")).get("SecurityGroupIngress")))
        .allSatisfy(rules -> assertThat(rules).isNull());
    assertThat(String.valueOf(coordinator.toJSON()))
        .as("the coordinator stack does not depend on this one")
        .doesNotContain("Fn::ImportValue");
  }

  @Test
  void theCoordinatorsFunctions_readItsAddressAndParentSecret_fromItsParametersOnly() {
    for (String handler :
        List.of(
            ChatFunctions.CHAT_HANDLER,
            ServerlessFunctions.HANDLERS + "SettleQueueHandler::handleRequest",
            ServerlessFunctions.HANDLERS + "SettleSweepHandler::handleRequest")) {
      List<Map<String, Object>> statements = statementsOfHandler(handler);
      Map<String, Object> ssm =
          statements.stream()
              .filter(s -> SynthesizedStack.actions(s).contains("ssm:GetParameter"))
              .findFirst()
              .orElseThrow();
      assertThat(SynthesizedStack.actions(ssm)).containsExactly("ssm:GetParameter");
      String resources = String.valueOf(ssm.get("Resource"));
      assertThat(resources).contains("parent-secret").doesNotContain("*");
      Map<String, Object> kms =
          statements.stream()
              .filter(s -> SynthesizedStack.actions(s).stream().anyMatch(a -> a.startsWith("kms:")))
              .findFirst()
              .orElseThrow();
      assertThat(SynthesizedStack.actions(kms)).containsExactly("kms:Decrypt");
      assertThat(String.valueOf(kms.get("Condition"))).contains("kms:ViaService");
      assertThat(String.valueOf(kms.get("Resource"))).contains("TestCoordinator");
    }
  }

  /** Every IAM statement of the role of the function with {@code handler}. */
  private static List<Map<String, Object>> statementsOfHandler(String handler) {
    Map<String, Object> fn =
        SYNTH.ofType("AWS::Lambda::Function").stream()
            .filter(f -> handler.equals(f.get("Handler")))
            .findFirst()
            .orElseThrow();
    String role = String.valueOf(Json.map(fn.get("Role")).get("Fn::GetAtt"));
    String roleId = role.substring(1, role.indexOf(','));
    return SYNTH.ofType("AWS::IAM::Policy").stream()
        .filter(p -> String.valueOf(p.get("Roles")).contains(roleId))
        .flatMap(p ->
            Json.<Map<String, Object>>list(Json.map(p.get("PolicyDocument")).get("Statement"))
                .stream())
        .toList();
  }

  @Test
  void aMissingPackage_isRefused_sayingHowToBuildIt() {
    assertThatThrownBy(() -> new ServerlessProps(Path.of("nope.zip"), null, null, null))
        .hasMessageContaining("./mvnw -DskipTests package");
    assertThatThrownBy(() -> new ServerlessProps(Path.of("pom.xml"), "p-", "log", null))
        .hasMessageContaining("together");
  }
}
