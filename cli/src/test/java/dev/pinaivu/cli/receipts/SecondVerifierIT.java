package dev.pinaivu.cli.receipts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verifier written from the docs alone (tools/receipt-verifier-js, run with node) agrees with
 * {@code ./pinaivu receipts verify}: on every row of the docs' vectors table (the same line), and
 * on thousands of tampered variants of the valid vector (the same verdict, and the same line
 * wherever the reason is a rule of §11 rather than a parser's or reader's detail).
 */
class SecondVerifierIT {
  private static final List<String> TRUST =
      List.of("--coordinator-key", "gTl3Dqh9F19Wo1Rmw0x-zMuNipG07jeiXfYPW4_Js5Q", "--allow-dev");
  private static final Path OUT = Path.of("target", "second-verifier");

  @Test
  void onEveryRowOfTheDocsTable_bothPrintTheDocumentedLine() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (DocVectors.Row row : DocVectors.table()) {
      List<String> options = new ArrayList<>(TRUST.subList(0, 2));
      options.addAll(row.options());
      String node = SecondVerifier.node(DocVectors.DIR.resolve(row.file()), options);
      if (!node.equals(row.expected())) {
        wrong.add(
            row.file() + " " + row.options() + "\n  docs: " + row.expected() + "\n  node: " + node);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void onEveryTamperedVariantOfTheValidVector_bothGiveTheSameVerdict() throws Exception {
    Path dir = Files.createDirectories(OUT.resolve("tampered"));
    try (var old = Files.list(dir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    ObjectNode valid =
        (ObjectNode) Json.parse(Files.readAllBytes(DocVectors.DIR.resolve("valid.json")));
    byte[] compact = Json.bytes(valid);
    int files = 0;
    for (int i = 0; i < compact.length; i++) { // every byte flipped
      byte[] flipped = compact.clone();
      flipped[i] ^= 0x01;
      Files.write(dir.resolve(String.format("byte-%05d.json", i)), flipped);
      files++;
    }
    List<String> paths = new ArrayList<>();
    leaves(valid.get("receipt"), "/receipt", paths);
    for (String path : paths) { // every signed value changed, then signed again by the coordinator
      int k = 0;
      for (JsonNode replacement : replacements(valid.at(path))) {
        ObjectNode copy = valid.deepCopy();
        set(copy, path, replacement);
        Files.write(
            dir.resolve("field-" + path.replace('/', '.') + "-" + k++ + ".json"),
            Json.bytes(resigned(copy)));
        files++;
      }
      ObjectNode removed = valid.deepCopy();
      remove(removed, path);
      Files.write(
          dir.resolve("removed-" + path.replace('/', '.') + ".json"),
          Json.bytes(resigned(removed)));
      files++;
    }

    Map<String, String> node = SecondVerifier.nodeBatch(dir, TRUST);
    List<String> disagree = new ArrayList<>();
    int sameLine = 0;
    int valids = 0;
    try (var list = Files.list(dir)) {
      for (Path file : list.sorted().toList()) {
        String java = SecondVerifier.java(file, TRUST);
        String js = node.getOrDefault(file.getFileName().toString(), "(no line)");
        if (!SecondVerifier.sameVerdict(java, js) || (isRule(java) && !java.equals(js))) {
          disagree.add(file.getFileName() + "\n  java: " + java + "\n  node: " + js);
        }
        sameLine += java.equals(js) ? 1 : 0;
        valids += java.startsWith("valid: ") ? 1 : 0;
      }
    }
    System.out.printf(
        "SecondVerifierIT: %d tampered files, %d valid, %d with the very same line, %d disagree%n",
        files, valids, sameLine, disagree.size());
    assertThat(node).hasSize(files);
    assertThat(disagree).isEmpty();
  }

  /** A reason of §11 proper, whose wording the docs fix (not a parser's or a reader's detail). */
  static boolean isRule(String line) {
    boolean noteFormat =
        line.startsWith("invalid: log: ")
            && !line.startsWith("invalid: log: the receipt is not leaf")
            && !line.startsWith("invalid: log: the checkpoint is")
            && !line.startsWith("invalid: log: tree_size")
            && !line.startsWith("invalid: log: log.");
    return !noteFormat
        && !line.startsWith("invalid: not a JSON receipt: ")
        && !line.contains(" is malformed")
        && !line.contains("first inconsistency");
  }

  private static ObjectNode resigned(ObjectNode envelope) {
    JsonNode receipt = envelope.get("receipt");
    byte[] jcs;
    try {
      jcs = CanonicalJson.bytes(receipt);
    } catch (IllegalArgumentException e) {
      return envelope; // not canonicalizable: left unsigned, refused before any rule
    }
    byte[] message = ("pinaivu/receipt/v1\n" + new String(jcs, UTF_8)).getBytes(UTF_8);
    envelope.put("signature", B64.encode(DocVectors.COORDINATOR.sign(message)));
    envelope.remove("log"); // its leaf is another now; the log is checked by its own vectors
    return envelope;
  }

  private static List<JsonNode> replacements(JsonNode value) {
    List<JsonNode> out = new ArrayList<>();
    if (value.isIntegralNumber()) {
      out.add(IntNode.valueOf(value.intValue() + 1));
      out.add(TextNode.valueOf(value.asText()));
      if (value.longValue() > 0) {
        out.add(IntNode.valueOf(value.intValue() - 1));
      }
    } else if (value.isTextual()) {
      String s = value.textValue();
      out.add(TextNode.valueOf(s.isEmpty() ? "x" : s.substring(0, s.length() - 1)));
      out.add(TextNode.valueOf(s + "0"));
      out.add(IntNode.valueOf(1));
    } else if (value.isBoolean()) {
      out.add(BooleanNode.valueOf(!value.booleanValue()));
    } else if (value.isNull()) {
      out.add(IntNode.valueOf(0));
      out.add(TextNode.valueOf("x"));
    }
    out.add(NullNode.getInstance());
    return out;
  }

  private static void leaves(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> leaves(e.getValue(), path + "/" + e.getKey(), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        leaves(node.get(i), path + "/" + i, out);
      }
    } else {
      out.add(path);
    }
  }

  private static void set(ObjectNode root, String path, JsonNode value) {
    int slash = path.lastIndexOf('/');
    JsonNode parent = root.at(path.substring(0, slash));
    String name = path.substring(slash + 1);
    if (parent instanceof ObjectNode object) {
      object.set(name, value);
    } else {
      ((ArrayNode) parent).set(Integer.parseInt(name), value);
    }
  }

  private static void remove(ObjectNode root, String path) {
    int slash = path.lastIndexOf('/');
    JsonNode parent = root.at(path.substring(0, slash));
    String name = path.substring(slash + 1);
    if (parent instanceof ObjectNode object) {
      object.remove(name);
    } else {
      ((ArrayNode) parent).remove(Integer.parseInt(name));
    }
  }
}
