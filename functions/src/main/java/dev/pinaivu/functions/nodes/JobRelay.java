package dev.pinaivu.functions.nodes;

import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbNodeConnections.Opened;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay half of the socket function (ADR 27): a node's job frames on to the relay connection of
 * the invocation waiting for each job, {@code node_lost} when a node leaves, and a relay's own
 * {@code relay_hello}. Only a job's route decides where its frames go, and only frames of jobs
 * routed to that node on that connection go anywhere.
 */
final class JobRelay {
  private static final Logger log = LoggerFactory.getLogger(JobRelay.class);

  private final DynamoDbJobRoutes routes;

  JobRelay(DynamoDbJobRoutes routes) {
    this.routes = routes;
  }

  /** The job frames of one message of {@code node}'s, gathered per relay. */
  Batch batch(Opened node) {
    return new Batch(node);
  }

  /**
   * A message's job frames, by the relay connection waiting for each job: sent on as one message
   * per relay, each line as the node wrote it (the receipt digests the node's exact text). Only
   * frames of jobs dispatched to this node on this connection go on; others are dropped, as frames
   * of unknown jobs are locally.
   */
  final class Batch {
    private final Opened node;
    private final Map<String, Optional<DynamoDbJobRoutes.Route>> found = new HashMap<>();
    private final Map<String, List<String>> byRelay = new LinkedHashMap<>();
    private final Map<String, List<String>> jobsByRelay = new HashMap<>();

    private Batch(Opened node) {
      this.node = node;
    }

    void add(String jobId, String line) {
      Optional<DynamoDbJobRoutes.Route> route = found.computeIfAbsent(jobId, routes::find);
      if (route.isEmpty()
          || !route.get().node().equals(node.nodeId())
          || !route.get().nodeConnection().equals(node.connectionId())) {
        log.debug("node {}: a frame of unknown job {}", node.nodeId(), jobId);
        return;
      }
      String relay = route.get().relayConnection();
      byRelay.computeIfAbsent(relay, r -> new ArrayList<>()).add(line);
      List<String> jobs = jobsByRelay.computeIfAbsent(relay, r -> new ArrayList<>());
      if (!jobs.contains(jobId)) {
        jobs.add(jobId);
      }
    }

    void send(NodeLinks links) {
      byRelay.forEach((relay, out) -> {
        if (!links.sendText(relay, String.join("\n", out))) {
          // the invocation waiting for these jobs is gone: the node stops working for nobody
          for (String jobId : jobsByRelay.get(relay)) {
            links.send(node.connectionId(), new Frame.Cancel(jobId, "client_gone"));
            routes.delete(jobId);
          }
        }
      });
    }
  }

  /** Tells the relay of each job the node was running that its node is gone: failover, at once. */
  void nodeLost(NodeLinks links, Opened opened) {
    for (String jobId : opened.jobs()) {
      routes
          .find(jobId)
          .filter(r -> r.nodeConnection().equals(opened.connectionId()))
          .ifPresent(r ->
              links.sendText(
                  r.relayConnection(), RelayFrames.nodeLost(jobId, "node disconnected")));
    }
  }

  /** A relay's own messages: {@code relay_hello} is answered with its connection id. */
  static void answerRelay(NodeLinks links, String connectionId, String body) {
    for (String line : FrameCodec.lines(body == null ? "" : body)) {
      String type;
      try {
        type = RelayFrames.type(Json.parse(line));
      } catch (IOException e) {
        type = null;
      }
      if (RelayFrames.HELLO.equals(type)) {
        links.sendText(connectionId, RelayFrames.welcome(connectionId));
      } else {
        log.debug("relay {}: a message of type {} ignored", connectionId, type);
      }
    }
  }
}
