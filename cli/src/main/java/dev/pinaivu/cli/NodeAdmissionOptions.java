package dev.pinaivu.cli;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodeAdmission;
import dev.pinaivu.core.reputation.NodeAdmission.Mode;
import dev.pinaivu.gateway.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which nodes may join, for {@code pinaivu gateway} and {@code up} (ADR 22). */
final class NodeAdmissionOptions {
  @Option(
      names = "--node-admission",
      paramLabel = "MODE",
      defaultValue = "open",
      description =
          "Which nodes may join: open, allowlist (--node-allowlist) or min-reputation"
              + " (--node-min-reputation) (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(
      names = "--node-allowlist",
      paramLabel = "FILE",
      description =
          "With --node-admission allowlist: the nodes allowed, one a line: a node public key"
              + " (base64url, as the agent prints it) or a node id (node_...); # starts a comment")
  Path allowlist;

  @Option(
      names = "--node-min-reputation",
      paramLabel = "R",
      defaultValue = "" + NodeAdmission.DEFAULT_MIN_REPUTATION,
      description =
          "With --node-admission min-reputation: the lowest reputation (0..1) admitted; a new"
              + " node has 0.5 (default: ${DEFAULT-VALUE})")
  double minReputation;

  @Option(
      names = "--max-nodes-per-address",
      paramLabel = "N",
      defaultValue = "" + NodeAdmission.DEFAULT_PER_ADDRESS,
      description =
          "Node connections one source address (an IPv6 /64) may hold (default: ${DEFAULT-VALUE})")
  int perAddress;

  @Option(
      names = "--max-nodes-per-operator",
      paramLabel = "N",
      defaultValue = "" + NodeAdmission.DEFAULT_PER_OPERATOR,
      description =
          "Live nodes of one operator (the offer's operator, else the node key)"
              + " (default: ${DEFAULT-VALUE})")
  int perOperator;

  @Option(
      names = "--trust-nodes",
      description =
          "Take nodes at their word: no probation, no quarantine, the capacity they claim. Only"
              + " for a network of your own nodes (ADR 22)")
  boolean trustNodes;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** The policy, allowing at least {@code localNodes} from one address (those {@code up} runs). */
  GatewayConfig applyTo(GatewayConfig config, int localNodes) {
    try {
      Mode parsed = Mode.parse(mode);
      if (allowlist != null && parsed != Mode.ALLOWLIST) {
        throw new IllegalArgumentException("--node-allowlist goes with --node-admission allowlist");
      }
      Set<NodeId> allowed = parsed == Mode.ALLOWLIST ? read(allowlist) : Set.of();
      NodeAdmission admission =
          new NodeAdmission(
              parsed,
              allowed,
              minReputation,
              Math.max(perAddress, localNodes),
              Math.max(perOperator, 1));
      return config.withNodePolicy(
          config
              .nodePolicy()
              .withAdmission(admission)
              .withConduct(trustNodes ? ConductRules.TRUSTING : config.nodePolicy().conduct()));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static Set<NodeId> read(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("--node-admission allowlist needs --node-allowlist FILE");
    }
    Set<NodeId> out = new HashSet<>();
    try {
      for (String raw : Files.readAllLines(file)) {
        String line = raw.replaceFirst("#.*", "").strip();
        if (!line.isEmpty()) {
          out.add(Allowlist.nodeId(line));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --node-allowlist " + file + ": " + e);
    }
    return out;
  }

  /** One allowlist line: a node id, or the public key it derives from. */
  static final class Allowlist {
    private Allowlist() {}

    static NodeId nodeId(String line) {
      if (line.startsWith("node_")) {
        return NodeId.parse(line);
      }
      byte[] key;
      try {
        key = dev.pinaivu.core.crypto.B64.decode(line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a node key nor a node id: " + line);
      }
      return NodeId.of(key);
    }
  }
}
