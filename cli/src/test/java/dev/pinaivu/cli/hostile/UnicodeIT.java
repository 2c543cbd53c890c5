package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pinaivu.cli.Admin;
import dev.pinaivu.cli.Books;
import dev.pinaivu.cli.ClientKey;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.Network;
import dev.pinaivu.cli.NodeProcess;
import dev.pinaivu.cli.Sse;
import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content never breaks a connection (ADR 23): a client's lone surrogate is a 400 naming the
 * parameter; an inference server that emits a lone surrogate or bytes that are not UTF-8 fails that
 * one job, while another tenant's stream on the same node finishes and is billed, and the real
 * agent keeps its one connection.
 */
class UnicodeIT {
  private static final String MODEL = "uni";

  @TempDir Path dir;
  private Network network;
  private HttpServer upstream;
  private NodeProcess node;
  private Books books;
  private ClientKey key;

  @BeforeEach
  void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    upstream.createContext("/v1/models", this::models);
    upstream.createContext("/v1/chat/completions", this::chat);
    upstream.start();
    network = new Network(dir);
    books = new Books(network);
    key = new Admin(network).devKey();
    node =
        network.addNode(
            "node", "--upstream", "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1");
    network.awaitLive(1);
  }

  @AfterEach
  void stop() throws Exception {
    network.close();
    upstream.stop(0);
  }

  @Test
  void requestWithALoneSurrogate_isA400NamingTheParameter() throws Exception {
    HttpResult r =
        HttpResult.post(
            network.baseUrl(),
            key.secret(),
            "{\"model\":\""
                + MODEL
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800x\"}]}");

    assertThat(r.status).isEqualTo(400);
    JsonNode error = Json.parse(r.body).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo("messages[0].content");
  }

  @Test
  void badOutputOnOneJob_leavesTheOtherTenantsStreamAndTheConnectionAlone() throws Exception {
    int connections = connections(); // joining may itself take a retry (left to the join work)
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Sse> honest = pool.submit(() -> stream("slow"));
      Thread.sleep(300); // the honest stream is under way on the node
      Sse surrogate = stream("surrogate");
      Sse invalidUtf8 = stream("bytes");

      for (Sse bad : new Sse[] {surrogate, invalidUtf8}) {
        // failed: after the good word, an error event and no [DONE]; or, when the bad bytes came
        // in the same read as the good word (a strict decoder fails the read), before any output
        // (then the only node has failed it: 503 nodes_failed)
        assertThat(bad.endedWithDone()).as(bad.events.toString()).isFalse();
        if (bad.status == 200) {
          assertThat(bad.text()).isEqualTo("fine ");
          assertThat(bad.last().has("error")).isTrue();
        } else {
          assertThat(bad.status).as(bad.errorBody).isEqualTo(503);
          assertThat(bad.errorBody).contains("nodes_failed");
        }
      }
      assertThat(surrogate.status).isEqualTo(200); // its good word is a line of its own
      Sse other = honest.get();
      assertThat(other.endedWithDone()).as(other.events.toString()).isTrue();
      assertThat(other.text()).isEqualTo("fine fine fine fine fine fine fine fine ");
      JsonNode receipt = books.receipt(other.headerRequestId).get("receipt");
      assertThat(receipt.get("outcome").asText()).isEqualTo("completed");
    }
    assertThat(network.gateway.liveNodes()).isEqualTo(1);
    assertThat(connections()).as(node.output()).isEqualTo(connections);
    books.check();
  }

  /** How many times the agent connected to the gateway so far. */
  private int connections() {
    return node.output().split("connected to", -1).length - 1;
  }

  private Sse stream(String word) throws Exception {
    return books.track(
        key,
        Sse.post(
            network.baseUrl(),
            key.secret(),
            "{\"model\":\""
                + MODEL
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + word
                + "\"}]}",
            100));
  }

  private void models(HttpExchange x) throws IOException {
    reply(
        x,
        "application/json",
        ("{\"data\":[{\"id\":\"" + MODEL + "\"}]}").getBytes(StandardCharsets.UTF_8));
  }

  /** One good word, then: a lone surrogate, bytes that are not UTF-8, or seven more slow words. */
  private void chat(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/event-stream");
    x.sendResponseHeaders(200, 0);
    try (OutputStream out = x.getResponseBody()) {
      event(out, chunk("fine "));
      if (body.contains("surrogate")) {
        event(out, chunk("\\ud800 half"));
      } else if (body.contains("bytes")) {
        out.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"".getBytes());
        out.write(new byte[] {(byte) 0xC3, (byte) 0x28});
        out.write("\"}}]}\n\n".getBytes());
        out.flush();
      } else {
        for (int i = 0; i < 7; i++) {
          Thread.sleep(150); // paced, so the bad jobs run while this one streams
          event(out, chunk("fine "));
        }
      }
      event(
          out,
          "{\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":8,"
              + "\"total_tokens\":10}}");
      out.write("data: [DONE]\n\n".getBytes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String chunk(String content) {
    return "{\"id\":\"u\",\"object\":\"chat.completion.chunk\",\"model\":\""
        + MODEL
        + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + content
        + "\"},\"finish_reason\":null}]}";
  }

  private static void event(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void reply(HttpExchange x, String type, byte[] bytes) throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
