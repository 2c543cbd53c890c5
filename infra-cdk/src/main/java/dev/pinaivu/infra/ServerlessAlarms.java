package dev.pinaivu.infra;

import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * The serverless deployment's alarms, all to one SNS topic the operator subscribes to (the output
 * {@code AlarmTopicArn}): each function's errors (for the chat function these include streams
 * broken after their first byte, which the runtime loop reports in the error trailers) and
 * throttles, the REST API's 5XX answers, and any message in the settle queue's dead-letter queue (a
 * settlement the settle function gave up on: the sweep keeps completing it, but someone should know
 * why it failed). Missing data is not breaching: an idle deployment is healthy.
 */
final class ServerlessAlarms {
  private static final Duration PERIOD = Duration.minutes(5);

  private final Stack stack;
  private final SnsAction notify;

  ServerlessAlarms(Stack stack) {
    this.stack = stack;
    Topic topic =
        Topic.Builder.create(stack, "Alarms")
            .displayName("Pinaivu serverless alarms")
            .enforceSsl(true)
            .masterKey(Alias.fromAliasName(stack, "SnsKey", "alias/aws/sns"))
            .build();
    notify = new SnsAction(topic);
    CfnOutput.Builder.create(stack, "AlarmTopicArn")
        .value(topic.getTopicArn())
        .description("subscribe to be told of the deployment's alarms")
        .build();
  }

  /** Errors and throttles of every function. */
  void functions(Map<String, Function> functions) {
    MetricOptions sum = MetricOptions.builder().period(PERIOD).statistic("Sum").build();
    functions.forEach((id, fn) -> {
      alarm(id + "Errors", fn.metricErrors(sum), 1, id + ": an invocation failed");
      alarm(id + "Throttles", fn.metricThrottles(sum), 1, id + ": invocations were throttled");
    });
  }

  /** The REST API's server errors: 5 or more in 5 minutes. */
  void api(RestApi api) {
    alarm(
        "Api5xx",
        api.metricServerError(MetricOptions.builder().period(PERIOD).statistic("Sum").build()),
        5,
        "the REST API answered 5XX");
  }

  /** Any settle reminder dead-lettered. */
  void deadLetters(Queue queue) {
    alarm(
        "SettleDeadLetters",
        queue.metricApproximateNumberOfMessagesVisible(
            MetricOptions.builder().period(PERIOD).statistic("Maximum").build()),
        1,
        "a settle reminder was dead-lettered: a settlement the settle function could not complete");
  }

  private void alarm(String id, IMetric metric, double threshold, String description) {
    Alarm alarm =
        Alarm.Builder.create(stack, id + "Alarm")
            .metric(metric)
            .threshold(threshold)
            .evaluationPeriods(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .alarmDescription(description)
            .build();
    alarm.addAlarmAction(notify);
  }
}
