package dev.pinaivu.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exec wrapper, run with a command shaped like the managed Java runtime's and {@code echo} in
 * place of java, so the command it would run is printed instead.
 */
class ExecWrapperTest {
  private static final Path SCRIPT = Path.of("src/main/lambda/pinaivu-streaming");
  private static final String CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  private record Run(int exit, String out, String err) {}

  private static Run run(Map<String, String> env, String... runtimeCommand) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(runtimeCommand));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return new Run(process.waitFor(), out, err);
  }

  @Test
  void keepsJavaAndItsOptionsAndStartsTheStreamingRuntimeOnTheFunctionsCode() throws Exception {
    Run run =
        run(
            Map.of(
                "LAMBDA_TASK_ROOT",
                "/var/task",
                "_HANDLER",
                "dev.pinaivu.functions.chat.ChatHandler"),
            "echo",
            "-XX:MaxHeapSize=890880k",
            "-XX:+UseSerialGC",
            "--add-opens",
            "java.base/java.io=ALL-UNNAMED",
            "-classpath",
            "/var/runtime/lib/aws-lambda-java-core.jar:/var/runtime/lib/ric.jar",
            CLIENT,
            "dev.pinaivu.functions.chat.ChatHandler");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "-XX:MaxHeapSize=890880k -XX:+UseSerialGC --add-opens java.base/java.io=ALL-UNNAMED"
                + " -cp /var/task:/var/task/lib/* dev.pinaivu.functions.runtime.StreamingRuntime"
                + " dev.pinaivu.functions.chat.ChatHandler");
  }

  @Test
  void refusesACommandThatDoesNotRunTheRuntimeClient() throws Exception {
    Run run = run(Map.of("_HANDLER", "x.Handler"), "echo", "-jar", "something-else.jar");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("does not name " + CLIENT);
  }
}
