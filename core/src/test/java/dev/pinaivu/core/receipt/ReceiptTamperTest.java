package dev.pinaivu.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole receipt is signed: changing, removing or adding any member anywhere in the envelope
 * (the unsigned {@code log} aside) makes verification fail, with a reason.
 */
class ReceiptTamperTest {
  /** The cancelled receipt of the test vector, and a completed one (whose note is null). */
  private static final ObjectNode CANCELLED = Fixtures.tree(Fixtures.signed());

  private static final ObjectNode COMPLETED =
      Fixtures.tree(
          new ReceiptSigner(Fixtures.COORDINATOR)
              .sign(Fixtures.receipt(Fixtures.proof(Outcome.COMPLETED, Usage.of(12, 9), 9))));

  @Test
  void originals_verify() {
    assertThat(Fixtures.verifier().verify(CANCELLED).reason()).isEmpty();
    assertThat(Fixtures.verifier().verify(COMPLETED).reason()).isEmpty();
    assertThat(COMPLETED.at("/receipt/note").isNull()).isTrue();
  }

  @TestFactory
  Stream<DynamicTest> changingAnyValue_failsVerification() {
    return Stream.of(CANCELLED, COMPLETED)
        .flatMap(original -> {
          List<String> paths = new ArrayList<>();
          leaves(original, "", paths);
          assertThat(paths).hasSize(64).contains("/receipt/node_proof/proof/usage_estimated");
          return paths.stream().map(path -> test(original, path, n -> change(n, path)));
        });
  }

  @TestFactory
  Stream<DynamicTest> removingAnyMember_failsVerification() {
    List<String> paths = new ArrayList<>();
    members(CANCELLED, "", paths);
    return paths.stream().map(path -> test(CANCELLED, path, n -> remove(n, path)));
  }

  @TestFactory
  Stream<DynamicTest> addingAMemberToAnySignedObject_failsVerification() {
    return Stream.of(
            "/receipt",
            "/receipt/times",
            "/receipt/charge",
            "/receipt/billing",
            "/receipt/node_offer/offer",
            "/receipt/node_proof/proof")
        .map(path -> test(CANCELLED, path, n -> ((ObjectNode) n.at(path)).put("extra", 1)));
  }

  private static DynamicTest test(ObjectNode original, String path, Consumer<ObjectNode> tamper) {
    String outcome = original.at("/receipt/outcome").textValue();
    return DynamicTest.dynamicTest(outcome + " " + path, () -> assertFails(original, path, tamper));
  }

  private static void assertFails(ObjectNode original, String path, Consumer<ObjectNode> tamper) {
    ObjectNode copy = original.deepCopy();
    tamper.accept(copy);
    assertThat(copy).as("the tamper changed nothing at %s", path).isNotEqualTo(original);

    Verification<Receipt> result = Fixtures.verifier().verify(Json.bytes(copy));

    assertThat(result.valid()).as("tampered %s still verifies", path).isFalse();
    assertThat(result.reason()).isNotBlank();
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

  private static void members(JsonNode node, String path, List<String> out) {
    node.properties()
        .forEach(e -> {
          out.add(path + "/" + e.getKey());
          if (e.getValue().isObject()) {
            members(e.getValue(), path + "/" + e.getKey(), out);
          }
        });
  }

  private static void change(ObjectNode root, String path) {
    int slash = path.lastIndexOf('/');
    ObjectNode parent = (ObjectNode) root.at(path.substring(0, slash));
    String name = path.substring(slash + 1);
    JsonNode value = parent.get(name);
    switch (value.getNodeType()) {
      case NUMBER -> parent.put(name, value.longValue() + 1);
      case BOOLEAN -> parent.put(name, !value.booleanValue());
      case STRING -> parent.put(name, altered(value.textValue()));
      case NULL -> parent.put(name, "tampered");
      default -> throw new AssertionError("unexpected " + value.getNodeType() + " at " + path);
    }
  }

  /** The same string with its last character replaced by another of the same kind. */
  private static String altered(String text) {
    char last = text.charAt(text.length() - 1);
    char other;
    if (Character.isDigit(last)) {
      other = (char) ('0' + (last - '0' + 1) % 10);
    } else if (last >= 'a' && last <= 'y' || last >= 'A' && last <= 'Y') {
      other = (char) (last + 1);
    } else {
      other = 'a';
    }
    return text.substring(0, text.length() - 1) + other;
  }

  private static void remove(ObjectNode root, String path) {
    int slash = path.lastIndexOf('/');
    ((ObjectNode) root.at(path.substring(0, slash))).remove(path.substring(slash + 1));
  }
}
