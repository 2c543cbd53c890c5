package dev.pinaivu.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;

/**
 * GPU agents that poll for jobs (ADR 39): {@code POST /v1/nodes/exchange} on the REST API, to the
 * poll function ({@code NodePollHandler}), no IAM or API key (every request carries the node's
 * signature, checked by the function); one SQS FIFO queue per node, {@code <prefix>jobs-<node
 * id>.fifo}, which the functions make on first use (CreateQueue with the same attributes is a
 * no-op), so the IAM statements name the prefix, not queues. The chat function puts a polling
 * node's jobs and cancels there; the poll function takes them and posts the node's frames to the
 * relays.
 */
final class PollingNodes {
  /** What the chat function calls on the job queues: it puts frames for polling nodes. */
  static final List<String> PUT_ACTIONS =
      List.of("sqs:CreateQueue", "sqs:GetQueueUrl", "sqs:SendMessage");

  /** What the poll function calls on them: it takes a node's frames. */
  static final List<String> TAKE_ACTIONS =
      List.of("sqs:CreateQueue", "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage");

  private final String queuePrefix;

  PollingNodes(
      Stack stack,
      ServerlessFunctions functions,
      String tablePrefix,
      Map<String, String> shared,
      Resource v1,
      WebSocketApi nodes,
      WebSocketStage stage) {
    queuePrefix = tablePrefix + "jobs-";
    Map<String, String> env = new HashMap<>(shared);
    env.put("PINAIVU_JOB_QUEUE_PREFIX", queuePrefix);
    env.put("PINAIVU_NODE_SOCKET_URL", stage.getUrl());
    Function poll =
        functions.add(
            "NodePollHandler",
            functions
                .builder("NodePollHandler", NODE_POLL_HANDLER, env)
                .timeout(Duration.seconds(29)) // the REST API's integration limit; polls wait 20 s
                .build());
    functions.allow(poll, ServerlessStack.NODE_SOCKET_ACTIONS);
    nodes.grantManageConnections(poll); // the node's frames to the chat invocations' relays
    poll.addToRolePolicy(queues(stack, TAKE_ACTIONS));
    v1.addResource("nodes")
        .addResource("exchange")
        .addMethod(
            "POST",
            new LambdaIntegration(
                poll, LambdaIntegrationOptions.builder().timeout(Duration.seconds(29)).build()));
  }

  static final String NODE_POLL_HANDLER =
      "dev.pinaivu.functions.nodes.NodePollHandler::handleRequest";

  /** Lets {@code fn} put frames for polling nodes: the variable and the statement. */
  void allowPut(Stack stack, Function fn) {
    fn.addEnvironment("PINAIVU_JOB_QUEUE_PREFIX", queuePrefix);
    fn.addToRolePolicy(queues(stack, PUT_ACTIONS));
  }

  private PolicyStatement queues(Stack stack, List<String> actions) {
    return PolicyStatement.Builder.create()
        .actions(actions)
        .resources(
            List.of(
                "arn:"
                    + stack.getPartition()
                    + ":sqs:"
                    + stack.getRegion()
                    + ":"
                    + stack.getAccount()
                    + ":"
                    + queuePrefix
                    + "*"))
        .build();
  }
}
