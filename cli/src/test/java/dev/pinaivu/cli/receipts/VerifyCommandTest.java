package dev.pinaivu.cli.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.DevAttestation;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code receipts verify FILE} with keys given on the command line: no network. */
class VerifyCommandTest {
  private static final RequestId ID = RequestId.parse("req_01j9z4kxm8vwqe3t5p6n7r2y0c");
  private static final SignedReceipt SIGNED = TestReceipts.signed(ID);

  @TempDir Path dir;
  private Path receipt;
  private Path devKey;

  @BeforeEach
  void writeFiles() throws IOException {
    receipt = Files.writeString(dir.resolve("receipt.json"), SIGNED.json());
    devKey =
        Files.write(
            dir.resolve("dev-attestation.json"),
            DevAttestation.document(TestReceipts.COORDINATOR.publicKey()));
  }

  private CliRun verify(Path file, String... options) {
    List<String> args = new ArrayList<>(List.of("receipts", "verify", file.toString()));
    args.addAll(List.of(options));
    return CliRun.pinaivu(args.toArray(String[]::new));
  }

  private Path write(JsonNode envelope) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "tampered", ".json"), Json.text(envelope));
  }

  @Test
  void aDevReceipt_withAllowDev_isValid_onOneLineNamingWhatItProves() {
    CliRun r = verify(receipt, "--coordinator-key", devKey.toString(), "--allow-dev");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "valid: req_01j9z4kxm8vwqe3t5p6n7r2y0c model=llama3.2:3b"
                + " node=node_prq8czx2ycxfwrpnttrp8bgp44 total=$0.000007 (key "
                + TestReceipts.KEY_ID
                + ", dev)"
                + System.lineSeparator());
  }

  @Test
  void aDevReceipt_withoutAllowDev_isInvalid_andSaysToPassAllowDev() {
    CliRun r = verify(receipt, "--coordinator-key", devKey.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith("invalid: ").contains("development key").contains("--allow-dev");
  }

  @Test
  void everyChangedValue_inTheReceiptOrTheEnvelope_isInvalid() throws IOException {
    ObjectNode envelope = Json.MAPPER.valueToTree(SIGNED);
    List<String> accepted = new ArrayList<>();
    int changes = 0;
    for (Consumer<ObjectNode> change : everyLeafChanged(envelope)) {
      ObjectNode tampered = envelope.deepCopy();
      change.accept(tampered);
      CliRun r = verify(write(tampered), "--coordinator-key", devKey.toString(), "--allow-dev");
      if (r.exit() != 1 || !r.out().startsWith("invalid: ")) {
        accepted.add(Json.text(tampered) + " -> " + r);
      }
      changes++;
    }

    assertThat(changes)
        .as("3 envelope values, 61 in the receipt, its offer, billing and proof")
        .isEqualTo(64);
    assertThat(accepted).isEmpty();
  }

  @Test
  void aRemovedOrAddedReceiptMember_isInvalid_butAddedLogEvidenceIsNot() throws IOException {
    ObjectNode removed = Json.MAPPER.valueToTree(SIGNED);
    ((ObjectNode) removed.get("receipt")).remove("note");
    ObjectNode added = Json.MAPPER.valueToTree(SIGNED);
    ((ObjectNode) added.get("receipt")).put("discount", 1);
    ObjectNode logged = Json.MAPPER.valueToTree(SIGNED);
    logged.putObject("log").put("index", 3);
    String[] trust = {"--coordinator-key", devKey.toString(), "--allow-dev"};

    assertThat(verify(write(removed), trust).out()).startsWith("invalid: signature does not");
    assertThat(verify(write(added), trust).out()).startsWith("invalid: signature does not");
    assertThat(verify(write(logged), trust).exit()).isZero();
  }

  @Test
  void logEvidenceThatIsNotTheDocumentedShape_isInvalid_namingTheMember() throws IOException {
    String[] trust = {"--coordinator-key", devKey.toString(), "--allow-dev"};
    ObjectNode nullLog = Json.MAPPER.valueToTree(SIGNED);
    nullLog.putNull("log");
    ObjectNode textIndex = Json.MAPPER.valueToTree(SIGNED);
    textIndex.putObject("log").put("index", "2");
    ObjectNode half = Json.MAPPER.valueToTree(SIGNED);
    half.putObject("log").put("index", 2).put("tree_size", 3);

    assertThat(verify(write(nullLog), trust).out())
        .startsWith("invalid: log: the log member must be an object");
    assertThat(verify(write(textIndex), trust).out())
        .startsWith("invalid: log: log.index is missing or not an integer");
    assertThat(verify(write(half), trust).out())
        .startsWith("invalid: log: log.inclusion_path is missing or not an array");
  }

  @Test
  void theClientsSavedResponse_matchesTheReceipt_andAnyOtherBytesDoNot() throws IOException {
    Path saved = Files.writeString(dir.resolve("response.sse"), "data: [DONE]\n\n");
    Path cut = Files.writeString(dir.resolve("cut.sse"), "data: [DONE]\n");
    String[] trust = {"--coordinator-key", devKey.toString(), "--allow-dev"};

    CliRun matches = verify(receipt, concat(trust, "--client-response", saved.toString()));
    CliRun differs = verify(receipt, concat(trust, "--client-response", cut.toString()));
    CliRun missing = verify(receipt, concat(trust, "--client-response", "no-such-file"));

    assertThat(matches.out())
        .endsWith("; client response matches (14 bytes)" + System.lineSeparator());
    assertThat(differs.exit()).isEqualTo(1);
    assertThat(differs.out())
        .startsWith("invalid: client response: the SHA-256 of the 13 bytes saved is ")
        .contains(
            "not the receipt's client_response_sha256 " + SIGNED.receipt().clientResponseSha256());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read --client-response");
  }

  @Test
  void aLogOriginThatIsNoKeyName_isUnusableInput() {
    CliRun r = verify(receipt, "--coordinator-key", devKey.toString(), "--log-origin", "a b");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--log-origin");
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void anotherCoordinatorKey_isInvalid_namingTheReceiptsKey() {
    byte[] other = Ed25519.PrivateKey.fromSeed(TestReceipts.filled(0x09)).publicKey();

    CliRun r = verify(receipt, "--coordinator-key", B64.encode(other), "--allow-dev");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            "invalid: key_id "
                + TestReceipts.KEY_ID
                + " is not a trusted coordinator key (wrong key)"
                + System.lineSeparator());
  }

  @Test
  void aBareKey_inBase64urlOrHex_counts_asADevelopmentKey() {
    byte[] key = TestReceipts.COORDINATOR.publicKey();

    assertThat(verify(receipt, "--coordinator-key", B64.encode(key)).out()).contains("--allow-dev");
    assertThat(verify(receipt, "--coordinator-key", B64.encode(key), "--allow-dev").exit())
        .isZero();
    assertThat(
            verify(receipt, "--coordinator-key", HexFormat.of().formatHex(key), "--allow-dev")
                .exit())
        .isZero();
  }

  @Test
  void aSavedKeyListing_isAKeySourceToo() throws IOException {
    Path listing = Files.writeString(dir.resolve("keys.json"), TestReceipts.devListing());

    assertThat(verify(receipt, "--coordinator-key", listing.toString(), "--allow-dev").out())
        .startsWith("valid: ");
  }

  @Test
  void aFileWithoutACoordinatorKey_isRefusedNamingTheFlag_andNoGatewayIsAsked() throws Exception {
    try (ServerSocket listening = new ServerSocket(0)) {
      listening.setSoTimeout(300);
      LocalNetwork.write(dir, "http://127.0.0.1:" + listening.getLocalPort() + "/v1");

      CliRun r = verify(receipt, "--allow-dev", "--data-dir", dir.toString());

      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("checked offline").contains("--coordinator-key");
      assertThatThrownBy(listening::accept)
          .as("the local network's gateway was not contacted")
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void theGatewayUrl_isTheFlag_elseTheOneUpWrote_elseTheDefault() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    LocalNetwork.write(dir, "http://127.0.0.1:9191/v1");

    assertThat(LocalNetwork.gateway(URI.create("http://h:1/v1"), dir))
        .isEqualTo(URI.create("http://h:1/v1"));
    assertThat(LocalNetwork.gateway(null, dir)).isEqualTo(URI.create("http://127.0.0.1:9191/v1"));
    assertThat(LocalNetwork.gateway(null, empty)).isEqualTo(URI.create("http://127.0.0.1:8080/v1"));
  }

  @Test
  void aStoppingUp_forgetsItsOwnUrl_butNotANewerOnes() throws IOException {
    LocalNetwork.write(dir, "http://127.0.0.1:9191/v1");
    LocalNetwork.forget(dir, "http://127.0.0.1:9292/v1"); // an older up, stopping late
    assertThat(LocalNetwork.gateway(null, dir)).isEqualTo(URI.create("http://127.0.0.1:9191/v1"));

    LocalNetwork.forget(dir, "http://127.0.0.1:9191/v1");
    assertThat(dir.resolve(LocalNetwork.URL_FILE)).doesNotExist();
    LocalNetwork.forget(dir, "http://127.0.0.1:9191/v1"); // twice: nothing to forget
  }

  @Test
  void aFileThatIsNotJson_isInvalid() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.json"), "not json");

    CliRun r = verify(junk, "--coordinator-key", devKey.toString(), "--allow-dev");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith("invalid: not a JSON receipt");
  }

  @Test
  void aMissingFile_orAnUnreadableKey_exitsTwo_withoutAVerdict() {
    CliRun missing = verify(dir.resolve("nope.json"), "--coordinator-key", devKey.toString());
    CliRun badKey = verify(receipt, "--coordinator-key", "not a key!");

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).contains("cannot verify").contains("no such file");
    assertThat(badKey.exit()).isEqualTo(2);
    assertThat(badKey.err()).contains("--coordinator-key");
  }

  @Test
  void controlCharactersFromTheFile_cannotForgeASecondLine() throws IOException {
    ObjectNode envelope = Json.MAPPER.valueToTree(SIGNED);
    envelope.put("key_id", "x\nvalid: forged\u202e");

    CliRun r = verify(write(envelope), "--coordinator-key", devKey.toString(), "--allow-dev");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out().lines())
        .singleElement()
        .asString()
        .startsWith("invalid: ")
        .contains("\\u000a")
        .contains("\\u202e");
  }

  /** One change per leaf value of {@code root}: strings altered, numbers +1, booleans flipped. */
  private static List<Consumer<ObjectNode>> everyLeafChanged(JsonNode root) {
    List<Consumer<ObjectNode>> changes = new ArrayList<>();
    collect(root, "", changes);
    return changes;
  }

  private static void collect(JsonNode node, String pointer, List<Consumer<ObjectNode>> changes) {
    if (node.isObject()) {
      node.properties().forEach(e -> collect(e.getValue(), pointer + "/" + e.getKey(), changes));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), pointer + "/" + i, changes);
      }
    } else {
      changes.add(root -> replace(root, pointer, changed(node)));
    }
  }

  private static JsonNode changed(JsonNode leaf) {
    if (leaf.isTextual()) {
      String s = leaf.textValue();
      char last = s.isEmpty() ? 'a' : s.charAt(s.length() - 1);
      return TextNode.valueOf(
          (s.isEmpty() ? "" : s.substring(0, s.length() - 1)) + (last == 'a' ? 'b' : 'a'));
    }
    if (leaf.isIntegralNumber()) {
      return Json.MAPPER.getNodeFactory().numberNode(leaf.longValue() + 1);
    }
    if (leaf.isBoolean()) {
      return Json.MAPPER.getNodeFactory().booleanNode(!leaf.booleanValue());
    }
    return TextNode.valueOf("x");
  }

  private static void replace(ObjectNode root, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    ContainerNode<?> parent = (ContainerNode<?>) root.at(pointer.substring(0, slash));
    String name = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode object) {
      object.set(name, value);
    } else {
      ((ArrayNode) parent).set(Integer.parseInt(name), value);
    }
  }
}
