package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.reputation.NodeAdmission;
import dev.pinaivu.core.reputation.Standing;
import dev.pinaivu.gateway.nodes.NodeHub;
import dev.pinaivu.gateway.nodes.NodeStats;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;

/**
 * The operator's view of the nodes, {@code GET /admin/v1/nodes}: every live node with its
 * reputation, phase (probation, established, quarantined) and the capacity it is trusted with; the
 * admission policy; and how many connections were refused, by reason. Needs the {@link AdminToken};
 * {@code ./pinaivu nodes} prints it.
 */
public final class NodeAdminRoutes {
  private final AdminToken token;
  private final NodeHub hub;

  public NodeAdminRoutes(AdminToken token, NodeHub hub) {
    this.token = token;
    this.hub = hub;
  }

  public void register(RoutesConfig routes) {
    routes.get(
        "/admin/v1/nodes",
        ctx -> {
          token.check(ctx.header("Authorization"));
          nodes(ctx);
        });
  }

  private void nodes(Context ctx) {
    ObjectNode out = Json.object();
    out.put("object", "list");
    ArrayNode data = out.putArray("data");
    List<NodeStats> nodes =
        hub.nodeStats().stream()
            .sorted(Comparator.comparing((NodeStats n) -> n.nodeId().value()))
            .toList();
    for (NodeStats n : nodes) {
      data.add(describe(n));
    }
    NodeAdmission policy = hub.admission();
    ObjectNode admission = out.putObject("admission");
    admission.put("mode", policy.mode().wire());
    admission.put("per_address", policy.perAddress());
    admission.put("per_operator", policy.perOperator());
    admission.put("min_reputation", policy.minReputation());
    admission.put("allowlisted", policy.allowlist().size());
    ObjectNode refused = out.putObject("refused");
    for (String reason : NodeHub.REFUSAL_REASONS) {
      refused.put(reason, hub.refusals(reason));
    }
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("application/json");
    ctx.result(Json.bytes(out));
  }

  private static ObjectNode describe(NodeStats n) {
    Standing s = n.standing();
    ObjectNode node = Json.object();
    node.put("node_id", n.nodeId().value());
    node.put("phase", s.phase().wire());
    node.put("reputation", round(s.reputation()));
    node.put("success", round(s.success()));
    node.put("latency", round(s.latency()));
    node.put("active_jobs", n.activeJobs());
    node.put("capacity_offered", n.capacity());
    node.put("capacity_trusted", Math.min(n.capacity(), s.capacityCap()));
    if (s.quarantinedUntilMs() > 0) {
      node.put("quarantined_until_ms", s.quarantinedUntilMs());
    } else {
      node.putNull("quarantined_until_ms");
    }
    node.put("quarantines", s.quarantines());
    ObjectNode jobs = node.putObject("jobs");
    jobs.put("succeeded", s.successes());
    jobs.put("failed", s.failures());
    jobs.put("overclaimed", s.overclaims());
    return node;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
