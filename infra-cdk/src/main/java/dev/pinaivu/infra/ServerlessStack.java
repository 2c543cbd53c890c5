package dev.pinaivu.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The serverless deployment's parts built so far (ADR 27): the network table, a REST API (Regional)
 * whose read-only public routes each go to a Lambda function calling the same use case as the local
 * gateway, and the WebSocket API nodes connect to. Every function gets only the table actions its
 * adapters call. With the coordinator stack's endpoint, the streaming chat function too (ADR 26,
 * 27), which dispatches to the nodes on the WebSocket API, with the settle functions, in a VPC
 * peered with the coordinator's (ADR 37); and the operator's admin API behind IAM (ADR 38).
 */
public final class ServerlessStack extends Stack {
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

  private final StateTable state;
  private final RestApi api;
  private final WebSocketApi nodes;
  private final ServerlessFunctions functions;

  /** A deployment without chat: nothing could sign dispatch tokens. */
  public ServerlessStack(Construct scope, String id, StackProps stackProps, ServerlessProps props) {
    this(scope, id, stackProps, props, null);
  }

  /**
   * @param coordinator the coordinator stack's endpoint for the chat functions, or null for a
   *     deployment without chat
   */
  ServerlessStack(
      Construct scope,
      String id,
      StackProps stackProps,
      ServerlessProps props,
      FunctionsEndpoint coordinator) {
    super(scope, id, stackProps);
    state = new StateTable(this, "State", props.tablePrefix() + "network");
    functions =
        new ServerlessFunctions(
            this, Code.fromAsset(props.functionsPackage().toString()), state.table());
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
    get(models, "ModelsHandler", environment);
    get(models.addResource("{model}"), "ModelsHandler", environment);
    get(v1.addResource("usage"), "UsageHandler", environment);
    get(v1.addResource("receipts").addResource("{request_id}"), "ReceiptHandler", environment);
    get(v1.addResource("attestation"), "AttestationHandler", environment);
    if (props.servesLog()) {
      Resource log = v1.addResource("log");
      get(log.addResource("checkpoint"), "LogHandler", environment);
      Resource proof = log.addResource("proof");
      get(proof.addResource("inclusion"), "LogHandler", environment);
      get(proof.addResource("consistency"), "LogHandler", environment);
      get(log.addResource("entries").addResource("{index}"), "LogHandler", environment);
      functions.allowLogRead(functions.get("LogHandler"), props.logTableName());
      functions.allowLogRead(functions.get("ReceiptHandler"), props.logTableName());
    }

    AdminApi admin = new AdminApi(this, functions, api, "prod", environment);

    Function socket =
        functions.function(
            "NodeSocketHandler", "dev.pinaivu.functions.nodes.NodeSocketHandler", environment);
    functions.allow(socket, NODE_SOCKET_ACTIONS);
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
    ServerlessAlarms alarms = new ServerlessAlarms(this);
    if (coordinator != null) {
      FunctionsNetwork network = new FunctionsNetwork(this, "FunctionsNetwork", coordinator);
      ChatFunctions chat =
          new ChatFunctions(
              this, functions, props, environment, v1, nodes, stage, socket, coordinator, network);
      alarms.deadLetters(chat.deadLetters());
    }
    alarms.functions(functions.all());
    alarms.api(api);
    NagFindings.suppressServerless(this, api, nodes, functions.roles());
    NagFindings.suppressOperatorPolicy(admin.operatorPolicy());

    output("ApiUrl", api.getUrl(), "the REST API: OpenAI SDKs take <this>v1 as their base URL");
    output("NodeSocketUrl", stage.getUrl(), "where node agents connect");
    output(
        "AdminUrl",
        api.getUrl() + "admin/v1/",
        "the operator's API (IAM: Signature Version 4, service execute-api)");
    output(
        "OperatorPolicyArn",
        admin.operatorPolicy().getManagedPolicyArn(),
        "attach to the operator's role or user to call the admin API");
    output("NetworkTableName", state.table().getTableName(), "the network's state (ADR 21)");
  }

  private void get(Resource resource, String handler, Map<String, String> env) {
    Function fn = functions.get(handler);
    if (fn == null) {
      fn = functions.function(handler, ServerlessFunctions.HANDLERS + handler, env);
      functions.allow(fn, READ_ACTIONS);
    }
    resource.addMethod("GET", new LambdaIntegration(fn));
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  StateTable state() {
    return state;
  }

  Map<String, Function> functions() {
    return functions.all();
  }
}
