package dev.pinaivu.testkit;

import java.time.Duration;
import java.util.Arrays;

/** Parses the options of {@link FakeOpenAiServer#main(String[])} into a builder. */
final class CommandLine {

  static final String USAGE =
      """
      usage: FakeOpenAiServer [--host 127.0.0.1] [--port 0] [--models a,b] [--max-model-len N]
                              [--ttft-ms 0] [--token-delay-ms 0] [--reply-tokens 0]
                              [--tool-args-bytes 0] [--api-key KEY] [--record 1000]
      Prints the base URL (http://host:port/v1) as the first line of stdout.\
      """;

  private CommandLine() {}

  static FakeOpenAiServer.Builder parse(String[] args) {
    FakeOpenAiServer.Builder builder = FakeOpenAiServer.builder();
    String[] models = {};
    Integer maxModelLen = null;
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + option + "\n" + USAGE);
      }
      String value = args[i + 1];
      switch (option) {
        case "--host" -> builder.host(value);
        case "--port" -> builder.port(number(option, value));
        case "--models" -> models = value.split(",");
        case "--max-model-len" -> maxModelLen = number(option, value);
        case "--ttft-ms" -> builder.timeToFirstToken(Duration.ofMillis(number(option, value)));
        case "--token-delay-ms" -> builder.tokenDelay(Duration.ofMillis(number(option, value)));
        case "--reply-tokens" -> builder.replyTokens(number(option, value));
        case "--tool-args-bytes" -> builder.toolArgumentsBytes(number(option, value));
        case "--api-key" -> builder.apiKey(value);
        case "--record" -> builder.recordLimit(number(option, value));
        default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
      }
    }
    Integer contextLength = maxModelLen;
    Arrays.stream(models)
        .map(String::strip)
        .filter(id -> !id.isEmpty())
        .forEach(id -> builder.model(new FakeModel(id, contextLength)));
    if (models.length == 0 && contextLength != null) {
      builder.model(new FakeModel("fake-model", contextLength));
    }
    return builder;
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got " + value + "\n" + USAGE);
    }
  }
}
