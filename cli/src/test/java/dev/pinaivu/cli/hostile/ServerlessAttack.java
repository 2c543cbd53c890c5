package dev.pinaivu.cli.hostile;

import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.ServerlessBooks;
import dev.pinaivu.cli.ServerlessDeployment;
import dev.pinaivu.cli.Sse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test code: the serverless deployment with no node of its own ({@link
 * ServerlessDeployment#withoutNode}), its books, and the {@link HostileNode}s a test connects to
 * its WebSocket API. One per test class; {@link #leave} closes a test's nodes and waits until the
 * registry let them go, so that the next test starts with none.
 */
final class ServerlessAttack implements AutoCloseable {
  static final long CREDIT = 50_000_000;

  final ServerlessDeployment deployment;
  final ServerlessBooks books;
  private final List<HostileNode> nodes = new CopyOnWriteArrayList<>();

  ServerlessAttack() throws Exception {
    deployment = ServerlessDeployment.withoutNode(CREDIT);
    books = new ServerlessBooks(deployment);
  }

  /** Connects {@code node} to the WebSocket API and waits until the registry holds it. */
  HostileNode join(HostileNode.Builder node) throws Exception {
    HostileNode joined = node.connectServerless(deployment.nodeUrl());
    nodes.add(joined);
    deployment.awaitLive(nodes.size());
    return joined;
  }

  /** A non-streamed chat request with the deployment's key, tracked by the books. */
  HttpResult post(String body) throws Exception {
    return books.track(HttpResult.post(deployment.baseUrl(), deployment.key, body));
  }

  /** A streamed chat request with the deployment's key, read to its end, tracked by the books. */
  Sse stream(String body) throws Exception {
    return books.track(Sse.post(deployment.baseUrl(), deployment.key, body, 10_000));
  }

  /** Closes the nodes joined since the last call and waits until none is in the registry. */
  void leave() throws Exception {
    nodes.forEach(HostileNode::close);
    nodes.clear();
    for (int i = 0; i < 100 && deployment.liveNodes() > 0; i++) {
      Thread.sleep(100);
    }
    if (deployment.liveNodes() > 0) {
      throw new IllegalStateException(deployment.liveNodes() + " node(s) never left");
    }
  }

  @Override
  public void close() throws Exception {
    leave();
    deployment.close();
  }
}
