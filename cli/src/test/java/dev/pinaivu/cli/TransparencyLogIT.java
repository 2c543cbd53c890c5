package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pinaivu.cli.receipts.SecondVerifier;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.InclusionProof;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.LogVerifier;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transparency log end to end: requests through a real node agent, then every receipt's
 * inclusion checked from the public HTTP routes alone; then a gateway restart (a new coordinator
 * key) that keeps the log consistent with every checkpoint published before it.
 */
class TransparencyLogIT {
  @TempDir Path dir;

  @Test
  void everyReceipt_isProvablyLogged_andARestartKeepsTheLogConsistent() throws Exception {
    List<JsonNode> receipts = new ArrayList<>();
    Checkpoint before;
    String url;
    try (FakeOpenAiServer upstream = FakeOpenAiServer.builder().model("llama").start()) {
      Network network = new Network(dir);
      try {
        network.addNode("node", "--upstream", upstream.baseUrl());
        network.awaitLive(1);
        url = network.baseUrl();
        List<String> ids = new ArrayList<>();
        Map<String, String> bodies = new HashMap<>();
        for (int i = 0; i < 8; i++) {
          String stream = i % 2 == 1 ? ",\"stream\":true" : ""; // every other one streamed
          String body =
              "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"n"
                  + i
                  + "\"}]"
                  + stream
                  + "}";
          HttpResult r = HttpResult.post(url, network.key(), body);
          assertThat(r.status).as(r.body).isEqualTo(200);
          Matcher id = Pattern.compile("\"request_id\":\"(req_[0-9a-z]{26})\"").matcher(r.body);
          assertThat(id.find()).as(r.body).isTrue();
          ids.add(id.group(1));
          bodies.put(ids.getLast(), r.body);
        }
        for (String id : ids) {
          receipts.add(awaitLogged(url, network.key(), id));
        }
        bothVerifiersAccept(receipts, bodies, keys(url));
        LogVerifier verifier = new LogVerifier(keys(url), CoordinatorOptions.DEFAULT_LOG_ORIGIN);
        before = verifier.checkpoint(text(url + "/log/checkpoint"));
        for (JsonNode receipt : receipts) {
          byte[] entry = Json.MAPPER.treeToValue(receipt, SignedReceipt.class).logEntry();
          assertThat(verifier.inclusion(entry, receipt.get("log")).accepted()).isTrue();
          assertIncludedViaProofRoute(url, entry, receipt.at("/log/index").asLong(), before);
        }
        JsonNode first = json(url + "/log/entries/0");
        assertThat(first.get("type").asText()).isEqualTo(KeyAnnouncement.TYPE);
        assertThat(before.treeSize()).isEqualTo(1 + receipts.size());
        String id = receipts.get(3).at("/receipt/request_id").asText();
        CliRun verified =
            CliRun.of(
                "receipts",
                "verify",
                id,
                "--gateway",
                url,
                "--api-key",
                network.key(),
                "--allow-dev");
        assertThat(verified.out())
            .as(verified.err())
            .startsWith("valid: " + id)
            .contains("; logged: leaf 4 of the signed tree");
        Files.writeString(dir.resolve("before.txt"), text(url + "/log/checkpoint"));
        ObjectNode forged = (ObjectNode) receipts.get(3).deepCopy();
        ArrayNode path = (ArrayNode) forged.at("/log/inclusion_path");
        path.set(0, TextNode.valueOf(Hash.leaf(new byte[] {1}).base64()));
        Path file = Files.writeString(dir.resolve("forged.json"), forged.toString());
        CliRun caught =
            CliRun.of("receipts", "verify", file.toString(), "--gateway", url, "--allow-dev");
        assertThat(caught.exit()).as(caught.out() + caught.err()).isEqualTo(1);
        assertThat(caught.out()).startsWith("invalid: log: the receipt is not leaf 4");
      } finally {
        network.close();
      }
    }
    copy(dir.resolve("gateway"), dir.resolve("gateway-copy")); // what a rollback restores

    try (GatewayServer restarted =
        GatewayServer.start(GatewayConfig.defaults(dir.resolve("gateway"), 0))) {
      String again = restarted.baseUrl();
      Checkpoint after = awaitCheckpointBeyond(again, before.treeSize());
      JsonNode announcement = json(again + "/log/entries/" + before.treeSize());
      byte[] entry = Base64.getDecoder().decode(announcement.get("entry").asText());
      assertThat(KeyAnnouncement.parse(entry).orElseThrow().key().keyId())
          .isEqualTo(restarted.coordinatorKeyId());
      JsonNode proof =
          json(
              again
                  + "/log/proof/consistency?first="
                  + before.treeSize()
                  + "&second="
                  + after.treeSize());
      assertThat(
              LogVerifier.consistency(
                      before, after, LogVerifier.hashes(proof.get("consistency_path")))
                  .accepted())
          .isTrue();
      for (JsonNode receipt : receipts) {
        byte[] leaf = Json.MAPPER.treeToValue(receipt, SignedReceipt.class).logEntry();
        assertIncludedViaProofRoute(again, leaf, receipt.at("/log/index").asLong(), after);
      }
      CliRun consistent =
          CliRun.of(
              "log",
              "verify-consistency",
              dir.resolve("before.txt").toString(),
              "--gateway",
              again,
              "--allow-dev",
              "--save");
      assertThat(consistent.exit()).as(consistent.out() + consistent.err()).isZero();
      assertThat(consistent.out())
          .startsWith("consistent: ")
          .contains("grew from " + before.treeSize() + " to " + after.treeSize());
      Files.writeString(dir.resolve("keys.json"), text(again + "/attestation")); // kept by auditor
    }

    // the operator restores the older database: a new coordinator resumes from it, validly signed,
    // but whoever saved the newer checkpoint sees the fork
    try (GatewayServer rolledBack =
        GatewayServer.start(GatewayConfig.defaults(dir.resolve("gateway-copy"), 0))) {
      awaitCheckpointBeyond(rolledBack.baseUrl(), before.treeSize());
      CliRun fork =
          CliRun.of(
              "log",
              "verify-consistency",
              dir.resolve("before.txt").toString(),
              "--gateway",
              rolledBack.baseUrl(),
              "--allow-dev",
              "--coordinator-key",
              dir.resolve("keys.json").toString());
      assertThat(fork.exit()).as(fork.out() + fork.err()).isEqualTo(1);
      assertThat(fork.out()).startsWith("inconsistent: ").contains("two different roots");
    }
  }

  private static void copy(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Files.copy(source, to.resolve(from.relativize(source).toString()));
      }
    }
  }

  private static JsonNode awaitLogged(String url, String key, String id) throws Exception {
    for (int i = 0; i < 100; i++) {
      HttpResult r = HttpResult.get(url + "/receipts/" + id, key);
      if (r.status == 200 && Json.parse(r.body).at("/log/checkpoint").isTextual()) {
        return Json.parse(r.body);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("receipt " + id + " was not logged within 10 s");
  }

  private static Checkpoint awaitCheckpointBeyond(String url, long size) throws Exception {
    for (int i = 0; i < 100; i++) {
      Checkpoint latest =
          new LogVerifier(keys(url), CoordinatorOptions.DEFAULT_LOG_ORIGIN)
              .checkpoint(text(url + "/log/checkpoint"));
      if (latest.treeSize() > size) {
        return latest;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no checkpoint beyond " + size + " within 10 s");
  }

  private static void assertIncludedViaProofRoute(
      String url, byte[] entry, long index, Checkpoint checkpoint) throws Exception {
    JsonNode proof =
        json(url + "/log/proof/inclusion?index=" + index + "&tree_size=" + checkpoint.treeSize());
    assertThat(
            new InclusionProof(
                    index, checkpoint.treeSize(), LogVerifier.hashes(proof.get("inclusion_path")))
                .verify(Hash.leaf(entry), checkpoint.rootHash())
                .accepted())
        .isTrue();
  }

  /**
   * Every live receipt, saved with the body its client received to target/live-receipts, verifies
   * with both verifiers (the Java one and the one written from the docs), to the same line, and so
   * does the client's body against the receipt's client_response_sha256.
   */
  private static void bothVerifiersAccept(
      List<JsonNode> receipts, Map<String, String> bodies, List<CoordinatorKey> keys)
      throws Exception {
    Path out = Files.createDirectories(Path.of("target", "live-receipts"));
    for (JsonNode receipt : receipts) {
      String id = receipt.at("/receipt/request_id").asText();
      Path file = Files.writeString(out.resolve(id + ".json"), Json.text(receipt));
      Path body = Files.writeString(out.resolve(id + ".body"), bodies.get(id));
      List<String> options =
          new ArrayList<>(List.of("--allow-dev", "--client-response", body.toString()));
      for (CoordinatorKey key : keys) {
        options.addAll(List.of("--coordinator-key", B64.encode(key.publicKey())));
      }
      String java = SecondVerifier.java(file, options);
      assertThat(java).startsWith("valid: " + id).contains("; client response matches");
      assertThat(SecondVerifier.node(file, options)).isEqualTo(java);
    }
  }

  /** The keys of GET /v1/attestation; dev keys, trusted here because this test started them. */
  private static List<CoordinatorKey> keys(String url) throws Exception {
    List<CoordinatorKey> keys = new ArrayList<>();
    for (JsonNode key : json(url + "/attestation").get("keys")) {
      keys.add(CoordinatorKey.fromWire(Json.MAPPER.treeToValue(key, Frame.CoordinatorInfo.class)));
    }
    return keys;
  }

  private static JsonNode json(String url) throws Exception {
    return Json.parse(text(url));
  }

  private static String text(String url) throws Exception {
    HttpResult r = HttpResult.get(url, "unused");
    assertThat(r.status).as(url + " " + r.body).isEqualTo(200);
    return r.body;
  }
}
