package dev.pinaivu.cli.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.id.RequestId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code receipts verify REQUEST_ID} against a stub of the gateway's routes on loopback. */
class VerifyFromGatewayTest {
  private static final String KEY = "sk-pnv-test-key";
  private final RequestId id = RequestId.next();
  private StubGateway gateway;
  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    gateway =
        new StubGateway()
            .withReceipt(id.value(), TestReceipts.signed(id).json())
            .withListing(TestReceipts.devListing())
            .requiringKey(KEY);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void aRequestId_isFetchedWithTheApiKey_andVerifiedAgainstTheListedKeys() {
    CliRun r =
        CliRun.pinaivu(
            "receipts",
            "verify",
            id.value(),
            "--gateway",
            gateway.baseUrl(),
            "--api-key",
            KEY,
            "--allow-dev");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("valid: " + id + " model=llama3.2:3b").contains(", dev)");
    assertThat(gateway.authorizations()).containsExactly("Bearer " + KEY);
  }

  @Test
  void theApiKey_isReadFromTheKeyFile_andAGatewayUrlWithoutV1GetsIt() throws IOException {
    Path keyFile = Files.writeString(dir.resolve("dev-api-key"), KEY + "\n");
    String bareHost = gateway.baseUrl().replace("/v1", "/");

    CliRun r =
        CliRun.pinaivu(
            "receipts",
            "verify",
            id.value(),
            "--gateway",
            bareHost,
            "--key-file",
            keyFile.toString(),
            "--allow-dev");

    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void aListedDevKey_withoutAllowDev_isInvalid() {
    CliRun r =
        CliRun.pinaivu(
            "receipts", "verify", id.value(), "--gateway", gateway.baseUrl(), "--api-key", KEY);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("--allow-dev");
  }

  @Test
  void anUnknownRequestId_exitsTwo_withTheGatewaysMessage() {
    RequestId unknown = RequestId.next();

    CliRun r =
        CliRun.pinaivu(
            "receipts",
            "verify",
            unknown.value(),
            "--gateway",
            gateway.baseUrl(),
            "--api-key",
            KEY,
            "--allow-dev");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("HTTP 404").contains("No receipt found for request");
  }

  @Test
  void aWrongOrMissingApiKey_exitsTwo() {
    CliRun wrong =
        CliRun.pinaivu(
            "receipts",
            "verify",
            id.value(),
            "--gateway",
            gateway.baseUrl(),
            "--api-key",
            "sk-pnv-other",
            "--allow-dev");
    CliRun missing =
        CliRun.pinaivu(
            "receipts",
            "verify",
            id.value(),
            "--gateway",
            gateway.baseUrl(),
            "--key-file",
            dir.resolve("absent").toString(),
            "--allow-dev");

    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("HTTP 401").doesNotContain("sk-pnv-other");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--api-key");
  }

  @Test
  void aFile_withKeysFromTheGatewaysListing_needsNoApiKey() throws IOException {
    Path file = Files.writeString(dir.resolve("r.json"), TestReceipts.signed(id).json());

    CliRun r =
        CliRun.pinaivu(
            "receipts",
            "verify",
            file.toString(),
            "--gateway",
            gateway.baseUrl(),
            "--key-file",
            dir.resolve("absent").toString(),
            "--allow-dev");

    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void anUnreachableGateway_exitsTwo() {
    String url = gateway.baseUrl();
    gateway.close();

    CliRun r = CliRun.pinaivu("receipts", "verify", id.value(), "--gateway", url, "--api-key", KEY);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("cannot reach the gateway");
  }
}
