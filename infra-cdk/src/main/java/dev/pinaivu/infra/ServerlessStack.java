package dev.pinaivu.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.ResponseTransferMode;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The serverless deployment's parts built so far (ADR 27): the network table, a REST API (Regional)
 * whose read-only public routes each go to a Lambda function calling the same use case as the local
 * gateway, and the WebSocket API nodes connect to. Every function gets only the table actions its
 * adapters call. With a coordinator address, the streaming chat function too (ADR 26, 27), which
 * dispatches to the nodes on the WebSocket API; the admin API is not in it yet.
 */
public final class ServerlessStack extends Stack {
  static final String HANDLERS = "dev.pinaivu.functions.api.";

  /** What the read-only functions call on the network table. */
  static final List<String> READ_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:Query");

  /** What the node socket function calls: connections, the registry, conduct, its signatures. */
  static final List<String> NODE_SOCKET_ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:Query");

  /**
   * What the chat function calls on the network table: the key, the account and its holds, rate
   * limits, the registry's slots, job routes and node connections, the settlement's transaction.
   */
  static final List<String> CHAT_ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:Query",
          "dynamodb:TransactWriteItems");

  /** The chat function's handler, run by the streaming runtime loop (ADR 26). */
  static final String CHAT_HANDLER = HANDLERS + "ChatHandler";

  /** The exec wrapper at the root of the Lambda package that starts that loop. */
  static final String STREAMING_WRAPPER = "/var/task/pinaivu-streaming";

  private final StateTable state;
  private final RestApi api;
  private final WebSocketApi nodes;
  private final Map<String, Function> functions = new HashMap<>();
  private final List<Role> roles = new java.util.ArrayList<>();

  public ServerlessStack(Construct scope, String id, StackProps stackProps, ServerlessProps props) {
    super(scope, id, stackProps);
    state = new StateTable(this, "State", props.tablePrefix() + "network");
    Code code = Code.fromAsset(props.functionsPackage().toString());
    Map<String, String> environment = new HashMap<>();
    environment.put("PINAIVU_TABLE_PREFIX", props.tablePrefix());
    if (props.servesLog()) {
      environment.put("PINAIVU_LOG_TABLE", props.logTableName());
      environment.put("PINAIVU_LOG_ORIGIN", props.logOrigin());
    }

    LogGroup access =
        LogGroup.Builder.create(this, "ApiAccessLog").retention(RetentionDays.THREE_MONTHS).build();
    api =
        RestApi.Builder.create(this, "Api")
            .restApiName("pinaivu")
            .description("Pinaivu's OpenAI-compatible API")
            .endpointTypes(List.of(EndpointType.REGIONAL))
            .cloudWatchRole(false)
            .deployOptions(
                StageOptions.builder()
                    .stageName("prod")
                    .accessLogDestination(new LogGroupLogDestination(access))
                    .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                    .loggingLevel(MethodLoggingLevel.OFF)
                    .throttlingRateLimit(1000)
                    .throttlingBurstLimit(2000)
                    .build())
            .build();
    Resource v1 = api.getRoot().addResource("v1");
    Resource models = v1.addResource("models");
    get(models, "ModelsHandler", environment, code);
    get(models.addResource("{model}"), "ModelsHandler", environment, code);
    get(v1.addResource("usage"), "UsageHandler", environment, code);
    get(
        v1.addResource("receipts").addResource("{request_id}"),
        "ReceiptHandler",
        environment,
        code);
    get(v1.addResource("attestation"), "AttestationHandler", environment, code);
    if (props.servesLog()) {
      Resource log = v1.addResource("log");
      get(log.addResource("checkpoint"), "LogHandler", environment, code);
      Resource proof = log.addResource("proof");
      get(proof.addResource("inclusion"), "LogHandler", environment, code);
      get(proof.addResource("consistency"), "LogHandler", environment, code);
      get(log.addResource("entries").addResource("{index}"), "LogHandler", environment, code);
      allowLogRead(functions.get("LogHandler"), props.logTableName());
      allowLogRead(functions.get("ReceiptHandler"), props.logTableName());
    }

    Function socket =
        function(
            "NodeSocketHandler",
            "dev.pinaivu.functions.nodes.NodeSocketHandler",
            environment,
            code);
    allow(socket, NODE_SOCKET_ACTIONS);
    WebSocketLambdaIntegration integration = new WebSocketLambdaIntegration("Nodes", socket);
    nodes =
        WebSocketApi.Builder.create(this, "NodeSockets")
            .apiName("pinaivu-nodes")
            .description("GPU node agents connect here (docs/node-protocol.md)")
            .connectRouteOptions(WebSocketRouteOptions.builder().integration(integration).build())
            .disconnectRouteOptions(
                WebSocketRouteOptions.builder().integration(integration).build())
            .defaultRouteOptions(WebSocketRouteOptions.builder().integration(integration).build())
            .build();
    WebSocketStage stage =
        WebSocketStage.Builder.create(this, "NodeSocketsStage")
            .webSocketApi(nodes)
            .stageName("prod")
            .autoDeploy(true)
            .build();
    nodes.grantManageConnections(socket);
    LogGroup socketAccess =
        LogGroup.Builder.create(this, "NodeSocketsAccessLog")
            .retention(RetentionDays.THREE_MONTHS)
            .build();
    ((CfnStage) stage.getNode().getDefaultChild())
        .setAccessLogSettings(
            CfnStage.AccessLogSettingsProperty.builder()
                .destinationArn(socketAccess.getLogGroupArn())
                .format(
                    "{\"requestId\":\"$context.requestId\",\"routeKey\":\"$context.routeKey\","
                        + "\"connectionId\":\"$context.connectionId\",\"status\":\"$context.status\","
                        + "\"eventType\":\"$context.eventType\",\"ip\":\"$context.identity.sourceIp\"}")
                .build());
    if (props.servesChat()) {
      chat(props, environment, code, v1, stage, socket);
    }
    NagFindings.suppressServerless(this, api, nodes, roles);

    output("ApiUrl", api.getUrl(), "the REST API: OpenAI SDKs take <this>v1 as their base URL");
    output("NodeSocketUrl", stage.getUrl(), "where node agents connect");
    output("NetworkTableName", state.table().getTableName(), "the network's state (ADR 21)");
  }

  /**
   * The streaming chat function (ADR 26, 27): run by our runtime loop through the exec wrapper,
   * SnapStart on its published versions behind the alias {@code live}, called by a streaming
   * integration for up to 15 minutes; it dispatches to nodes on the WebSocket API and settles with
   * the coordinator. Its secrets: the relay secret and the account-ref secret (generated here) and
   * the coordinator's parent secret (made by the coordinator's operator, named {@code
   * <prefix>parent-secret}).
   */
  private void chat(
      ServerlessProps props,
      Map<String, String> shared,
      Code code,
      Resource v1,
      WebSocketStage stage,
      Function socket) {
    String secretPrefix = props.tablePrefix() + "secrets/";
    Secret relaySecret =
        Secret.Builder.create(this, "RelaySecret")
            .secretName(secretPrefix + "relay-secret")
            .description("HMAC key of the chat functions' relay connections (ADR 27)")
            .generateSecretString(
                SecretStringGenerator.builder().passwordLength(64).excludePunctuation(true).build())
            .build();
    Secret accountRefSecret =
        Secret.Builder.create(this, "AccountRefSecret")
            .secretName(secretPrefix + "account-ref-secret")
            .description("the secret behind receipts' account_ref (ADR 25): 64 hex digits")
            .generateSecretString(
                SecretStringGenerator.builder()
                    .passwordLength(64)
                    .excludePunctuation(true)
                    .excludeUppercase(true)
                    .includeSpace(false)
                    .excludeCharacters("ghijklmnopqrstuvwxyz")
                    .build())
            .build();
    NagFindings.suppressSecretRotation(List.of(relaySecret, accountRefSecret));
    ISecret parentSecret =
        Secret.fromSecretNameV2(this, "ParentSecret", secretPrefix + "parent-secret");
    Map<String, String> env = new HashMap<>(shared);
    env.put("AWS_LAMBDA_EXEC_WRAPPER", STREAMING_WRAPPER);
    env.put("PINAIVU_COORDINATOR", props.coordinatorAddress());
    env.put("PINAIVU_NODE_SOCKET_URL", stage.getUrl());
    env.put("PINAIVU_SECRET_PREFIX", secretPrefix);
    Function chat =
        Function.Builder.create(this, "ChatHandler")
            .runtime(Runtime.JAVA_25)
            .architecture(Architecture.ARM_64)
            .handler(CHAT_HANDLER)
            .code(code)
            .memorySize(1024)
            .timeout(Duration.minutes(15)) // the stream cap
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .environment(env)
            .role(role("ChatHandler"))
            .build();
    functions.put("ChatHandler", chat);
    software.amazon.awscdk.Annotations.of(chat)
        .acknowledgeWarning(
            "@aws-cdk/aws-lambda:snapStartRequirePublish",
            "published: the alias live below points at currentVersion, and the API calls the alias");
    allow(chat, CHAT_ACTIONS);
    nodes.grantManageConnections(chat); // job and cancel frames to nodes
    relaySecret.grantRead(chat);
    accountRefSecret.grantRead(chat);
    parentSecret.grantRead(chat);
    relaySecret.grantRead(socket); // the socket function checks relays at $connect
    socket.addEnvironment("PINAIVU_SECRET_PREFIX", secretPrefix);
    Alias live =
        Alias.Builder.create(this, "ChatLive")
            .aliasName("live")
            .version(chat.getCurrentVersion())
            .build();
    LambdaIntegration streaming =
        new LambdaIntegration(
            live,
            LambdaIntegrationOptions.builder()
                .responseTransferMode(ResponseTransferMode.STREAM)
                .timeout(Duration.minutes(15))
                .build());
    v1.addResource("chat").addResource("completions").addMethod("POST", streaming);
    v1.addResource("responses").addMethod("POST", streaming);

    // what a chat invocation that died left owed is billed by the sweep, every minute (ADR 27)
    Function sweep =
        Function.Builder.create(this, "SettleSweepHandler")
            .runtime(Runtime.JAVA_25)
            .architecture(Architecture.ARM_64)
            .handler(HANDLERS + "SettleSweepHandler::handleRequest")
            .code(code)
            .memorySize(1024)
            .timeout(Duration.minutes(5))
            .environment(env)
            .role(role("SettleSweepHandler"))
            .build();
    functions.put("SettleSweepHandler", sweep);
    allow(sweep, CHAT_ACTIONS);
    accountRefSecret.grantRead(sweep);
    parentSecret.grantRead(sweep);
    Rule.Builder.create(this, "SettleSweepSchedule")
        .description("completes settlements owed by chat invocations that ended before them")
        .schedule(Schedule.rate(Duration.minutes(1)))
        .targets(List.of(new LambdaFunction(sweep)))
        .build();
  }

  private void get(Resource resource, String handler, Map<String, String> env, Code code) {
    Function fn = functions.get(handler);
    if (fn == null) {
      fn = function(handler, HANDLERS + handler, env, code);
      allow(fn, READ_ACTIONS);
    }
    resource.addMethod("GET", new LambdaIntegration(fn));
  }

  private Role role(String id) {
    Role role =
        Role.Builder.create(this, id + "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .managedPolicies(
                List.of(
                    ManagedPolicy.fromAwsManagedPolicyName(
                        "service-role/AWSLambdaBasicExecutionRole")))
            .build();
    roles.add(role);
    return role;
  }

  private Function function(String id, String handler, Map<String, String> env, Code code) {
    Role role = role(id);
    Function fn =
        Function.Builder.create(this, id)
            .runtime(Runtime.JAVA_25) // the newest; the functions are built for 21 and run on it
            .architecture(Architecture.ARM_64)
            .handler(handler + "::handleRequest")
            .code(code)
            .memorySize(1024)
            .timeout(Duration.seconds(29))
            .environment(env)
            .role(role)
            .build();
    functions.putIfAbsent(id, fn);
    return fn;
  }

  /** {@code actions} on the network table and its indexes, nothing else. */
  private void allow(Function fn, List<String> actions) {
    fn.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(actions)
            .resources(
                List.of(
                    state.table().getTableArn(),
                    state.table().getTableArn() + "/index/gsi1",
                    state.table().getTableArn() + "/index/gsi2"))
            .build());
  }

  /** What the log store's adapter reads of the log table and its leaf-hash index, nothing else. */
  private void allowLogRead(Function fn, String logTable) {
    fn.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(LogTable.LOG_STORE_READ_ACTIONS)
            .resources(
                List.of(
                    logTableArn(logTable),
                    logTableArn(logTable) + "/index/" + LogTable.BY_LEAF_HASH))
            .build());
  }

  private String logTableArn(String name) {
    return "arn:"
        + getPartition()
        + ":dynamodb:"
        + getRegion()
        + ":"
        + getAccount()
        + ":table/"
        + name;
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  StateTable state() {
    return state;
  }

  Map<String, Function> functions() {
    return Map.copyOf(functions);
  }
}
