package dev.pinaivu.agent;

import dev.pinaivu.agent.backend.DemoBackend;
import dev.pinaivu.agent.backend.InferenceBackend;
import dev.pinaivu.agent.backend.OpenAiUpstream;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.NodeKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pinaivu node}: runs one GPU node agent against a gateway until stopped. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description =
        "Join a Pinaivu network as a GPU node: serve the models of an OpenAI-compatible"
            + " inference server (or the built-in demo backend) to the gateway.")
public final class AgentCommand implements Callable<Integer> {
  @Option(
      names = "--gateway",
      required = true,
      description = "Gateway URL, e.g. http://127.0.0.1:8080")
  String gateway;

  @Option(
      names = "--gateway-handshake",
      defaultValue = "HELLO",
      description =
          "How the node proves its key: HELLO (the gateway's nonce; the local gateway), HEADERS"
              + " (signed upgrade headers; a serverless deployment's WebSocket API URL, wss://...)"
              + " or POLL (no connection: signed HTTPS long polls to a serverless deployment's"
              + " REST API, https://<api>/prod/v1; ADR 39). Default: ${DEFAULT-VALUE}")
  AgentConfig.Handshake handshake;

  @Option(
      names = "--upstream",
      description =
          "OpenAI-compatible inference server, e.g. http://127.0.0.1:11434/v1 (Ollama)."
              + " Without it the built-in demo backend is used.")
  URI upstream;

  @Option(names = "--upstream-api-key", description = "Bearer token the inference server expects")
  String upstreamApiKey;

  @Option(
      names = "--price-in",
      defaultValue = "0",
      description = "USD per 1M input tokens (default: ${DEFAULT-VALUE})")
  String priceIn;

  @Option(
      names = "--price-out",
      defaultValue = "0",
      description = "USD per 1M output tokens (default: ${DEFAULT-VALUE})")
  String priceOut;

  @Option(
      names = "--capacity",
      defaultValue = "8",
      description = "Jobs run at once (default: ${DEFAULT-VALUE})")
  int capacity;

  @Option(
      names = "--data-dir",
      defaultValue = ".pinaivu-node",
      description = "Where the node key lives (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(
      names = "--demo-token-ms",
      defaultValue = "25",
      description = "Demo backend: delay between tokens")
  long demoTokenMs;

  @Option(
      names = "--demo-first-token-ms",
      defaultValue = "150",
      description = "Demo backend: delay before the first token")
  long demoFirstTokenMs;

  @Option(
      names = "--trust-dev-coordinator",
      description =
          "Accept a gateway whose coordinator runs in development mode (software key)."
              + " Only for local networks: a development coordinator proves nothing.")
  boolean trustDevCoordinator;

  @Option(
      names = "--coordinator-pcr0",
      paramLabel = "HEX",
      description = "Require this enclave image measurement (PCR0) of the gateway's coordinator")
  String coordinatorPcr0;

  @Option(names = "--parent-pid", hidden = true, description = "Exit when this process exits")
  Long parentPid;

  @Override
  public Integer call() throws Exception {
    TokenPrice price;
    try {
      price = TokenPrice.ofDollarsPerMillion(priceIn, priceOut);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    if (capacity < 1 || capacity > 10_000) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--capacity must be 1..10000");
    }
    InferenceBackend backend =
        upstream == null
            ? new DemoBackend(Duration.ofMillis(demoFirstTokenMs), Duration.ofMillis(demoTokenMs))
            : new OpenAiUpstream(upstream, upstreamApiKey);
    NodeKey key = NodeKeyFile.loadOrCreate(dataDir);
    AgentConfig config =
        new AgentConfig(
            handshake == AgentConfig.Handshake.POLL
                ? AgentConfig.pollUrlFor(gateway)
                : AgentConfig.nodeUrlFor(gateway),
            price,
            capacity,
            Duration.ofSeconds(30),
            new CoordinatorTrust(trustDevCoordinator, coordinatorPcr0),
            ReconnectPolicy.DEFAULT,
            handshake);
    CountDownLatch stopped = new CountDownLatch(1);
    try (NodeAgent agent = new NodeAgent(config, key, backend)) {
      System.out.println("node " + agent.nodeId() + " serving " + backend.describe());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> {
                agent.close();
                stopped.countDown();
              }));
      if (parentPid != null) {
        ProcessHandle.of(parentPid)
            .ifPresentOrElse(p -> p.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
      }
      agent.start();
      stopped.await();
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentCommand()).execute(args));
  }
}
