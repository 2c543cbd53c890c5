package dev.pinaivu.cli.receipts;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.MerkleTree;
import dev.pinaivu.core.translog.NoteSigner;
import dev.pinaivu.core.translog.SignedCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test vectors of docs/receipts.md §16 and docs/transparency-log.md §5.1, made from the docs'
 * own worked example (the §13 envelope and client bytes) by the documented recipes only: JCS,
 * Ed25519 with the prefixes, the RFC 9162 tree, C2SP notes. {@link DocVectorsTest} checks that the
 * files in docs/vectors are exactly these bytes and that each verifies as the docs' table says.
 */
final class DocVectors {
  static final Path DOCS = Path.of("..", "docs");
  static final Path DIR = DOCS.resolve("vectors");
  static final String ORIGIN = "local.pinaivu.dev/receipts";
  static final Ed25519.PrivateKey COORDINATOR = TestReceipts.COORDINATOR;

  private DocVectors() {}

  /** Every vector file, by name. */
  static Map<String, byte[]> all() throws IOException {
    String receipts = Files.readString(DOCS.resolve("receipts.md"));
    ObjectNode envelope = (ObjectNode) Json.parse(servedEnvelope(receipts));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("client-response.sse", clientResponse(receipts).getBytes(UTF_8));
    ObjectNode valid = withLog(envelope);
    files.put("valid.json", pretty(valid));

    ObjectNode fee =
        resigned(
            envelope,
            r -> {
              ObjectNode charge = (ObjectNode) r.get("charge");
              charge.put("fee_bps", 0).put("fee", 0).put("total_charged", 6);
            });
    files.put("fee-not-the-tokens.json", pretty(fee));
    ObjectNode billed =
        resigned(
            envelope,
            r -> {
              ((ObjectNode) r.get("billed_usage"))
                  .put("completion_tokens", 9)
                  .put("total_tokens", 21);
              ((ObjectNode) r.get("charge"))
                  .put("node_amount", 8)
                  .put("fee", 1)
                  .put("total_charged", 9);
            });
    files.put("billed-above-delivered.json", pretty(billed));
    ObjectNode edited = envelope.deepCopy();
    ((ObjectNode) edited.get("receipt").get("charge")).put("total_charged", 8);
    files.put("total-edited.json", pretty(edited));
    ObjectNode token = resigned(envelope, r -> r.put("dispatch_token_sha256", "0".repeat(64)));
    files.put("token-hash-wrong.json", pretty(token));
    ObjectNode textIndex = valid.deepCopy();
    ((ObjectNode) textIndex.get("log")).put("index", "1");
    files.put("log-index-text.json", pretty(textIndex));
    byte[] compact = Json.bytes(envelope);
    byte[] bom = new byte[compact.length + 3];
    bom[0] = (byte) 0xef;
    bom[1] = (byte) 0xbb;
    bom[2] = (byte) 0xbf;
    System.arraycopy(compact, 0, bom, 3, compact.length);
    files.put("byte-order-mark.json", bom);
    files.put(
        "minus-zero.json",
        new String(pretty(envelope), UTF_8)
            .replace("\"limited_by\" : [ ]", "\"limited_by\" : [ ],\n      \"x\" : -0")
            .getBytes(UTF_8));
    files.putAll(checkpoints());
    return files;
  }

  /** The §13 envelope "as served", the first json block after that heading. */
  private static String servedEnvelope(String receipts) {
    int at = receipts.indexOf("The envelope as served");
    int start = receipts.indexOf("```json\n", at) + "```json\n".length();
    return receipts.substring(start, receipts.indexOf("```", start));
  }

  /** The two events of §13 the client received, each ending in an empty line. */
  static String clientResponse(String receipts) {
    StringBuilder out = new StringBuilder();
    Matcher m = Pattern.compile("(?m)^    (data: \\{\"id\":\"chatcmpl-.*)$").matcher(receipts);
    while (m.find()) {
      out.append(m.group(1)).append("\n\n");
    }
    return out.toString();
  }

  /**
   * The envelope with log evidence: a log whose leaf 0 announces the coordinator key and leaf 1 is
   * this receipt, and the checkpoint of size 2 the coordinator signs under {@link #ORIGIN}.
   */
  private static ObjectNode withLog(ObjectNode envelope) {
    MerkleTree tree = new MerkleTree();
    tree.append(
        Hash.leaf(
            new KeyAnnouncement(ORIGIN, CoordinatorKey.dev(COORDINATOR.publicKey())).entry()));
    tree.append(Hash.leaf(CanonicalJson.bytes(envelope)));
    SignedCheckpoint checkpoint =
        SignedCheckpoint.sign(
            new Checkpoint(ORIGIN, 2, tree.root()), new NoteSigner(ORIGIN, COORDINATOR));
    ObjectNode logged = envelope.deepCopy();
    ObjectNode log = logged.putObject("log");
    log.put("index", 1).put("tree_size", 2);
    ArrayNode path = log.putArray("inclusion_path");
    tree.inclusionProof(1, 2).path().forEach(h -> path.add(h.base64()));
    log.put("checkpoint", checkpoint.format());
    return logged;
  }

  private interface Edit {
    void apply(ObjectNode receipt);
  }

  /** The envelope with its receipt edited and signed again by the coordinator key (§9.1). */
  private static ObjectNode resigned(ObjectNode envelope, Edit edit) {
    ObjectNode copy = envelope.deepCopy();
    ObjectNode receipt = (ObjectNode) copy.get("receipt");
    edit.apply(receipt);
    byte[] message =
        ("pinaivu/receipt/v1\n" + new String(CanonicalJson.bytes(receipt), UTF_8)).getBytes(UTF_8);
    copy.put("signature", B64.encode(COORDINATOR.sign(message)));
    return copy;
  }

  /**
   * A checkpoint pair of the test log of docs/transparency-log.md §5 (sizes 6 and 8, key seed 0x01,
   * origin log.pinaivu.dev/receipts) and the consistency proof between them.
   */
  private static Map<String, byte[]> checkpoints() {
    String[] leaves = {
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"
    };
    MerkleTree tree = new MerkleTree();
    for (String leaf : leaves) {
      tree.append(Hash.leaf(HexFormat.of().parseHex(leaf)));
    }
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) 1);
    String origin = "log.pinaivu.dev/receipts";
    NoteSigner signer = new NoteSigner(origin, Ed25519.PrivateKey.fromSeed(seed));
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int size : new int[] {6, 8}) {
      files.put(
          "checkpoint-" + size + ".note",
          SignedCheckpoint.sign(new Checkpoint(origin, size, tree.root(size)), signer)
              .format()
              .getBytes(UTF_8));
    }
    ObjectNode proof = Json.object().put("first", 6).put("second", 8);
    ArrayNode path = proof.putArray("consistency_path");
    tree.consistencyProof(6, 8).path().forEach(h -> path.add(h.base64()));
    files.put("consistency-6-8.json", pretty(proof));
    return files;
  }

  private static byte[] pretty(JsonNode node) {
    try {
      return (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n")
          .getBytes(UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One row of the docs' table: a file, the options, the exact line the verifier prints. */
  record Row(String file, List<String> options, String expected) {}

  /** The rows of the vectors table of docs/receipts.md §16. */
  static List<Row> table() throws IOException {
    List<Row> rows = new ArrayList<>();
    Pattern row = Pattern.compile("^\\| `([a-z0-9-]+\\.json)` \\| `([^`]*)` \\| `(.*)` \\|$");
    for (String line : Files.readAllLines(DOCS.resolve("receipts.md"))) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        List<String> options = new ArrayList<>();
        for (String part : m.group(2).trim().split(" +")) {
          if (!part.isEmpty()) {
            options.add(part.replace("VECTORS/", DIR + "/"));
          }
        }
        rows.add(new Row(m.group(1), options, m.group(3).replace("\\|", "|")));
      }
    }
    return rows;
  }

  /** Writes the files: {@code -Dvectors.write=true} on {@link DocVectorsTest}. */
  static void write() throws IOException {
    Files.createDirectories(DIR);
    for (Map.Entry<String, byte[]> file : all().entrySet()) {
      Files.write(DIR.resolve(file.getKey()), file.getValue());
    }
  }
}
