package dev.pinaivu.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Stack;

/** The cdk-nag AwsSolutions findings we accept, each with its reason. */
final class NagFindings {

  private NagFindings() {}

  static void suppress(Stack stack, CoordinatorInstance coordinator) {
    NagSuppressions.addResourceSuppressions(
        coordinator.role(),
        List.of(
            suppression(
                "AwsSolutions-IAM4",
                "AmazonSSMManagedInstanceCore is what Session Manager needs; it replaces SSH")),
        true);
    NagSuppressions.addResourceSuppressions(
        coordinator.instance(),
        List.of(
            suppression(
                "AwsSolutions-EC29",
                "a single instance by design (one coordinator key); replaced, not scaled")),
        true);
  }

  /** The serverless stack's findings we accept (ADR 27). */
  /** The deployment's generated secrets, which are not rotated on a schedule. */
  static void suppressSecretRotation(
      java.util.List<? extends software.constructs.IConstruct> secrets) {
    for (software.constructs.IConstruct secret : secrets) {
      NagSuppressions.addResourceSuppressions(
          secret,
          List.of(
              suppression(
                  "AwsSolutions-SMG4",
                  "rotated by the operator, not on a schedule: a new relay secret refuses relays"
                      + " opened under the old one until the functions restart, and a new"
                      + " account-ref secret changes account_ref on later receipts (ADR 25)")),
          true);
    }
  }

  static void suppressServerless(
      Stack stack,
      software.amazon.awscdk.services.apigateway.RestApi api,
      software.amazon.awscdk.services.apigatewayv2.WebSocketApi nodes,
      java.util.Collection<software.amazon.awscdk.services.iam.Role> roles) {
    NagSuppressions.addResourceSuppressions(
        api,
        List.of(
            suppression(
                "AwsSolutions-APIG4",
                "clients authenticate with sk-pnv- API keys, checked (hashed) by every function, as"
                    + " the OpenAI API does; IAM or Cognito would break every OpenAI SDK"),
            suppression(
                "AwsSolutions-COG4", "same: API keys, not Cognito users, are the API's identity"),
            suppression(
                "AwsSolutions-APIG2",
                "each function validates its parameters and body and answers 400 or 422 with the"
                    + " OpenAI error body; a gateway validator would answer another shape"),
            suppression(
                "AwsSolutions-APIG3",
                "WAF is the operator's choice of rules and cost; the functions rate-limit per key"),
            suppression(
                "AwsSolutions-APIG6",
                "execution logging needs an account-wide CloudWatch role; access logs are on")),
        true);
    NagSuppressions.addResourceSuppressions(
        nodes,
        List.of(
            suppression(
                "AwsSolutions-APIG4",
                "nodes authenticate in $connect with an Ed25519 signature the function checks"),
            suppression(
                "AwsSolutions-APIG6", "execution logging needs an account-wide CloudWatch role")),
        true);
    for (software.amazon.awscdk.services.iam.Role role : roles) {
      NagSuppressions.addResourceSuppressions(
          role,
          List.of(
              suppression(
                  "AwsSolutions-IAM4",
                  "AWSLambdaBasicExecutionRole grants only writing the function's own logs"),
              suppression(
                  "AwsSolutions-IAM5",
                  "the node socket, poll and chat functions post to any connection of their own"
                      + " WebSocket API (@connections/*): connections are made by nodes, not known"
                      + " in advance; the chat and poll functions reach the job queues"
                      + " <prefix>jobs-* of this account and Region: one per node, made on first"
                      + " use (ADR 39)")),
          true);
    }
  }

  /** The operator's policy: every admin method of the stage, which the stack makes together. */
  static void suppressOperatorPolicy(software.amazon.awscdk.services.iam.ManagedPolicy policy) {
    NagSuppressions.addResourceSuppressions(
        policy,
        List.of(
            suppression(
                "AwsSolutions-IAM5",
                "execute-api:Invoke on /admin/v1/* of this API's stage only (any method): the"
                    + " five admin routes, which the stack adds together; nothing of /v1")),
        true);
  }

  private static NagPackSuppression suppression(String id, String reason) {
    return NagPackSuppression.builder().id(id).reason(reason).build();
  }
}
