package dev.pinaivu.cli;

import dev.pinaivu.core.chat.ChatSettings;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How long the gateway waits on a node (ADR 23), for {@code pinaivu gateway} and {@code up}. */
final class DeadlineOptions {
  @Option(
      names = "--first-output-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "A streamed job's first output must reach the client within this many seconds of its"
              + " dispatch; a node that is later is cancelled, not billed, and the next node is"
              + " tried, unseen by the client (default: ${DEFAULT-VALUE})")
  long firstOutputSeconds;

  @Option(
      names = "--accept-timeout",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description =
          "A node must accept or refuse each job within this many seconds; silence counts as a"
              + " refusal and the next node is tried at once (default: ${DEFAULT-VALUE})")
  long acceptSeconds;

  @Option(
      names = "--answer-timeout",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description =
          "A non-streamed request, every attempt included, must be answered within this many"
              + " seconds; the client's connection is kept open meanwhile (default:"
              + " ${DEFAULT-VALUE}, what the OpenAI SDKs wait)")
  long answerSeconds;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  ChatSettings settings() {
    if (firstOutputSeconds < 1 || acceptSeconds < 1 || answerSeconds < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--first-output-timeout, --accept-timeout and --answer-timeout are at least 1 second");
    }
    return ChatSettings.DEFAULT
        .withFirstOutputTimeout(Duration.ofSeconds(firstOutputSeconds))
        .withAcceptTimeout(Duration.ofSeconds(acceptSeconds))
        .withAnswerTimeout(Duration.ofSeconds(answerSeconds));
  }
}
