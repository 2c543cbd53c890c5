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

  private static NagPackSuppression suppression(String id, String reason) {
    return NagPackSuppression.builder().id(id).reason(reason).build();
  }
}
