package dev.pinaivu.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.ResponseTransferMode;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/**
 * The functions that reach the coordinator (ADR 26, 27, 36): the streaming chat function (our
 * runtime loop through the exec wrapper, SnapStart on its published versions behind the alias
 * {@code live}, called by a streaming integration for up to 15 minutes), the settle queue with its
 * dead-letter queue and the settle function it feeds, and the sweep, all three in the functions'
 * VPC peered with the coordinator's (ADR 37). Their secrets: the relay secret and the account-ref
 * secret (generated here) and the coordinator's address and parent secret, which the coordinator
 * stack publishes in Parameter Store.
 */
final class ChatFunctions {
  /** The chat function's handler, run by the streaming runtime loop (ADR 26). */
  static final String CHAT_HANDLER = ServerlessFunctions.HANDLERS + "ChatHandler";

  /** The exec wrapper at the root of the Lambda package that starts that loop. */
  static final String STREAMING_WRAPPER = "/var/task/pinaivu-streaming";

  /**
   * The settle function's timeout; the queue's visibility timeout is six times it (AWS's advice).
   */
  static final Duration SETTLE_TIMEOUT = Duration.seconds(30);

  /** Receives of a reminder before it is dead-lettered: about 15 minutes of redeliveries. */
  static final int SETTLE_RECEIVES = 5;

  /**
   * What the chat, settle and sweep functions call on the network table: the key, the account and
   * its holds, rate limits, the registry's slots, job routes and node connections, the settlement's
   * transaction.
   */
  static final List<String> CHAT_ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:Query",
          "dynamodb:TransactWriteItems",
          // a hold's transaction checks the request is not settled (DynamoDbReservations): IAM
          // governs each action inside TransactWriteItems, ConditionCheck by ConditionCheckItem
          "dynamodb:ConditionCheckItem");

  private final Queue settleQueue;
  private final Queue deadLetters;

  ChatFunctions(
      Stack stack,
      ServerlessFunctions functions,
      ServerlessProps props,
      Map<String, String> shared,
      Resource v1,
      WebSocketApi nodes,
      WebSocketStage stage,
      Function socket,
      FunctionsEndpoint coordinator,
      FunctionsNetwork network) {
    String secretPrefix = props.tablePrefix() + "secrets/";
    Secret relaySecret =
        Secret.Builder.create(stack, "RelaySecret")
            .secretName(secretPrefix + "relay-secret")
            .description("HMAC key of the chat functions' relay connections (ADR 27)")
            .generateSecretString(
                SecretStringGenerator.builder().passwordLength(64).excludePunctuation(true).build())
            .build();
    Secret accountRefSecret =
        Secret.Builder.create(stack, "AccountRefSecret")
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

    deadLetters =
        Queue.Builder.create(stack, "SettleDeadLetters")
            .queueName(props.tablePrefix() + "settle-dlq")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    settleQueue =
        Queue.Builder.create(stack, "SettleQueue")
            .queueName(props.tablePrefix() + "settle")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .visibilityTimeout(Duration.seconds(SETTLE_TIMEOUT.toSeconds().intValue() * 6))
            .retentionPeriod(Duration.days(4))
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(deadLetters)
                    .maxReceiveCount(SETTLE_RECEIVES)
                    .build())
            .build();

    Map<String, String> env = new HashMap<>(shared);
    env.put("PINAIVU_COORDINATOR_PARAMETERS", coordinator.path());
    env.put("PINAIVU_NODE_SOCKET_URL", stage.getUrl());
    env.put("PINAIVU_SECRET_PREFIX", secretPrefix);
    env.put("PINAIVU_SETTLE_QUEUE_URL", settleQueue.getQueueUrl());
    Map<String, String> streaming = new HashMap<>(env);
    streaming.put("AWS_LAMBDA_EXEC_WRAPPER", STREAMING_WRAPPER);
    Function chat =
        functions.add(
            "ChatHandler",
            functions
                .builder("ChatHandler", CHAT_HANDLER, streaming)
                .timeout(Duration.minutes(15)) // the stream cap
                .vpc(network.vpc())
                .vpcSubnets(network.subnets())
                .securityGroups(List.of(network.securityGroup()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build());
    Annotations.of(chat)
        .acknowledgeWarning(
            "@aws-cdk/aws-lambda:snapStartRequirePublish",
            "published: the alias live below points at currentVersion, and the API calls the alias");
    nodes.grantManageConnections(chat); // job and cancel frames to nodes
    relaySecret.grantRead(chat);
    relaySecret.grantRead(socket); // the socket function checks relays at $connect
    socket.addEnvironment("PINAIVU_SECRET_PREFIX", secretPrefix);
    settleQueue.grantSendMessages(chat);
    new PollingNodes(stack, functions, props.tablePrefix(), shared, v1, nodes, stage)
        .allowPut(stack, chat); // a polling node's jobs and cancels go to its queue
    Alias live =
        Alias.Builder.create(stack, "ChatLive")
            .aliasName("live")
            .version(chat.getCurrentVersion())
            .build();
    LambdaIntegration integration =
        new LambdaIntegration(
            live,
            LambdaIntegrationOptions.builder()
                .responseTransferMode(ResponseTransferMode.STREAM)
                .timeout(Duration.minutes(15))
                .build());
    v1.addResource("chat").addResource("completions").addMethod("POST", integration);
    v1.addResource("responses").addMethod("POST", integration);

    Function settle =
        functions.add(
            "SettleQueueHandler",
            functions
                .builder(
                    "SettleQueueHandler",
                    ServerlessFunctions.HANDLERS + "SettleQueueHandler::handleRequest",
                    env)
                .timeout(SETTLE_TIMEOUT)
                .vpc(network.vpc())
                .vpcSubnets(network.subnets())
                .securityGroups(List.of(network.securityGroup()))
                .build());
    settle.addEventSource(
        SqsEventSource.Builder.create(settleQueue)
            .batchSize(10)
            .reportBatchItemFailures(true)
            .build());

    // the backstop: what is still owed after 10 minutes (a reminder lost or dead-lettered)
    Function sweep =
        functions.add(
            "SettleSweepHandler",
            functions
                .builder(
                    "SettleSweepHandler",
                    ServerlessFunctions.HANDLERS + "SettleSweepHandler::handleRequest",
                    env)
                .timeout(Duration.minutes(5))
                .vpc(network.vpc())
                .vpcSubnets(network.subnets())
                .securityGroups(List.of(network.securityGroup()))
                .build());
    Rule.Builder.create(stack, "SettleSweepSchedule")
        .description("completes settlements owed by chat invocations that ended before them")
        .schedule(Schedule.rate(Duration.minutes(1)))
        .targets(List.of(new LambdaFunction(sweep)))
        .build();

    for (Function fn : List.of(chat, settle, sweep)) {
      functions.allow(fn, CHAT_ACTIONS);
      accountRefSecret.grantRead(fn);
      coordinator.allowRead(fn); // its address and the parent secret, in Parameter Store
    }
  }

  Queue settleQueue() {
    return settleQueue;
  }

  Queue deadLetters() {
    return deadLetters;
  }
}
