package dev.pinaivu.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.sqs.Queue;

/** cdk-nag's AwsSolutions pack, applied as in the app. */
class CdkNagTest {

  final SynthesizedStack synth = SynthesizedStack.get();

  @Test
  void stack_synthesizesWithoutWarnings() {
    assertThat(Annotations.fromStack(synth.stack).findWarning("*", Match.anyValue())).isEmpty();
  }

  @Test
  void cdkNag_isActive_onAStackThatBreaksItsRules() {
    App app = new App();
    Stack bad = new Stack(app, "Bad");
    Queue.Builder.create(bad, "Queue").build();
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().build()));

    assertThat(
            Annotations.fromStack(bad).findError("*", Match.stringLikeRegexp("AwsSolutions-SQS.*")))
        .isNotEmpty();
  }

  @Test
  void cdkNag_reportsNoAwsSolutionsErrors() {
    assertThat(
            Annotations.fromStack(synth.stack)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
        .isEmpty();
  }
}
