package dev.pinaivu.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorUserDataTest {

  @Test
  void render_fillsEveryPlaceholder() {
    String script =
        CoordinatorUserData.render(
            "eu-west-1",
            "s3://b/e.eif",
            "s3://b/run.sh",
            "s3://b/gateway.zip",
            "/pinaivu/s/coordinator-identity",
            2,
            3072,
            "log-table-1",
            "coordinator.example.com/receipts",
            "alias/seal-key",
            "/pinaivu/s/parent-secret",
            "arn:aws:kms:eu-west-1:111122223333:key/parent");

    assertThat(script)
        .startsWith("#!/bin/bash")
        .doesNotContainPattern("@[A-Z_]+@")
        .contains(
            "dnf install -y aws-nitro-enclaves-cli aws-nitro-enclaves-cli-devel socat jq \\\n"
                + "  java-21-amazon-corretto-headless unzip\n")
        .contains("systemctl enable --now nitro-enclaves-allocator.service")
        .contains("aws s3 cp --region 'eu-west-1' 's3://b/e.eif' /opt/pinaivu/coordinator.eif")
        .contains("aws s3 cp --region 'eu-west-1' 's3://b/run.sh' /opt/pinaivu/run-enclave.sh")
        .contains("Environment=KMS_REGION=eu-west-1\n")
        .contains("Environment=ENCLAVE_CPUS=2\n")
        .contains("Environment=ENCLAVE_MEMORY_MIB=3072\n")
        .contains("Environment=IDENTITY_FILE=/var/lib/pinaivu/identity.sealed\n")
        .contains("ExecStart=/opt/pinaivu/run-enclave.sh /opt/pinaivu/coordinator.eif\n")
        .contains("Restart=always\n")
        .contains("PARAMETER='/pinaivu/s/coordinator-identity'\n")
        .contains("ExecStartPre=/opt/pinaivu/identity-blob.sh restore\n")
        .contains("PathChanged=/var/lib/pinaivu/identity.sealed\n")
        .contains("ExecStart=/opt/pinaivu/identity-blob.sh save\n")
        .contains("systemctl enable --now pinaivu-identity-save.path")
        .contains("systemctl enable --now pinaivu-coordinator.service");
  }

  @Test
  void render_makesTheParentSecretRootOnly_andSealsItForTheEnclaveBeforeEveryStart() {
    String script =
        CoordinatorUserData.render(
            "eu-west-1",
            "s3://b/e.eif",
            "s3://b/run.sh",
            "s3://b/gateway.zip",
            "/pinaivu/s/coordinator-identity",
            2,
            2048,
            "log-table-1",
            "coordinator.example.com/receipts",
            "alias/seal-key",
            "/pinaivu/s/parent-secret",
            "arn:aws:kms:eu-west-1:111122223333:key/parent");

    assertThat(script).contains("install -d -m 0700 \"$(dirname '/var/lib/pinaivu/secret/");
    String coordinator = unit(script, "pinaivu-coordinator.service");
    assertThat(coordinator)
        .contains(
            "Environment=PARENT_SECRET_SEALED=/var/lib/pinaivu/secret/coordinator-secret.sealed\n")
        .contains(
            "ExecStartPre=/usr/bin/java -cp"
                + " /opt/pinaivu/gateway/pinaivu.jar:/opt/pinaivu/gateway/lib/*"
                + " dev.pinaivu.cli.Pinaivu coordinator-secret"
                + " --secret-file /var/lib/pinaivu/secret/coordinator-secret"
                + " --sealed-file /var/lib/pinaivu/secret/coordinator-secret.sealed"
                + " --kms-key-id alias/seal-key --kms-region eu-west-1\n");
    assertThat(coordinator.indexOf("coordinator-secret --secret-file"))
        .as("sealed before the enclave starts")
        .isLessThan(coordinator.indexOf("ExecStart=/opt/pinaivu/run-enclave.sh"));
    String gateway = unit(script, "pinaivu-gateway.service");
    assertThat(gateway)
        .contains(
            "ExecStartPre=+/usr/bin/install -m 0400 -o pinaivu -g pinaivu"
                + " /var/lib/pinaivu/secret/coordinator-secret"
                + " /var/lib/pinaivu/gateway/coordinator-secret\n");
  }

  @Test
  void render_installsTheGatewayAsItsOwnUser_onLoopback_withTheLogTable() {
    String script =
        CoordinatorUserData.render(
            "eu-west-1",
            "s3://b/e.eif",
            "s3://b/run.sh",
            "s3://b/gateway.zip",
            "/pinaivu/s/coordinator-identity",
            2,
            2048,
            "log-table-1",
            "coordinator.example.com/receipts",
            "alias/seal-key",
            "/pinaivu/s/parent-secret",
            "arn:aws:kms:eu-west-1:111122223333:key/parent");

    assertThat(script)
        .contains("aws s3 cp --region 'eu-west-1' 's3://b/gateway.zip' /opt/pinaivu/gateway.zip\n")
        .contains("unzip -q /opt/pinaivu/gateway.zip -d /opt/pinaivu/gateway\n")
        .contains("useradd --system --no-create-home --shell /sbin/nologin pinaivu\n")
        .contains("install -d -m 0700 -o pinaivu -g pinaivu /var/lib/pinaivu/gateway\n")
        .contains("systemctl enable --now pinaivu-gateway.service");
    String unit = unit(script, "pinaivu-gateway.service");
    assertThat(unit)
        .contains("User=pinaivu\n")
        .contains("Wants=network-online.target pinaivu-coordinator.service\n")
        .contains("After=network-online.target pinaivu-coordinator.service\n")
        .contains("Environment=AWS_REGION=eu-west-1\n")
        .contains("Restart=always\n")
        .contains("RestartSec=5\n")
        .contains(
            "ExecStart=/usr/bin/java --enable-native-access=ALL-UNNAMED"
                + " -cp /opt/pinaivu/gateway/pinaivu.jar:/opt/pinaivu/gateway/lib/*"
                + " dev.pinaivu.cli.Pinaivu gateway --host 127.0.0.1"
                + " --coordinator 127.0.0.1:5000"
                + " --coordinator-secret-file /var/lib/pinaivu/gateway/coordinator-secret"
                + " --log-table log-table-1 --aws-region eu-west-1"
                + " --log-origin coordinator.example.com/receipts"
                + " --data-dir /var/lib/pinaivu/gateway --port 8080\n");
  }

  @Test
  void theParentSecret_isRestoredBeforeItIsSealed_andSavedAfter_forTheChatFunctions() {
    String coordinator = unit(script(), "pinaivu-coordinator.service");
    int restore = coordinator.indexOf("ExecStartPre=/opt/pinaivu/parent-secret.sh restore\n");
    int seal = coordinator.indexOf("coordinator-secret --secret-file");
    int save = coordinator.indexOf("ExecStartPre=/opt/pinaivu/parent-secret.sh save\n");
    assertThat(restore).isNotNegative().isLessThan(seal);
    assertThat(save).isGreaterThan(seal).isLessThan(coordinator.indexOf("ExecStart="));
    assertThat(coordinator).contains("Environment=FUNCTIONS_PORT=730\n");
  }

  /**
   * parent-secret.sh as the instance runs it, with a test-only {@code aws} command on the PATH that
   * keeps one parameter in a file and logs its arguments: the kept secret comes back, a new one is
   * put once as a SecureString under the stack's key, and the value is never an argument.
   */
  @Test
  void parentSecretScript_restoresTheKeptSecret_savesANewOneOnce_neverOnACommandLine(
      @TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret/coordinator-secret");
    Files.createDirectories(secret.getParent());
    String body = heredoc(script(), "/opt/pinaivu/parent-secret.sh");
    Path run =
        Files.writeString(
            dir.resolve("parent-secret.sh"),
            body.replace("/var/lib/pinaivu/secret/coordinator-secret", secret.toString()));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path stored = dir.resolve("stored.json");
    Path calls = dir.resolve("calls.log");
    Files.writeString(
        bin.resolve("aws"),
        String.join(
            "\n",
            "#!/bin/bash",
            "echo \"$*\" >> '" + calls + "'",
            "if [ \"$2\" = get-parameter ]; then",
            "  [ -s '"
                + stored
                + "' ] || { echo 'An error occurred (ParameterNotFound)' >&2; exit 254; }",
            "  jq -r .Value '" + stored + "'; exit 0",
            "fi",
            "[ -s '"
                + stored
                + "' ] && { echo 'An error occurred (ParameterAlreadyExists)' >&2; exit 254; }",
            "file=\"${@: -1}\"; cp \"${file#file://}\" '" + stored + "'",
            ""));
    Files.setPosixFilePermissions(bin.resolve("aws"), PosixFilePermissions.fromString("rwx------"));

    assertThat(bash(dir, run, "restore")).contains("none kept yet");
    String generated = "ab".repeat(32);
    Files.writeString(secret, generated + "\n");
    bash(dir, run, "save");
    Map<String, Object> put = Json.map(stored(stored));
    assertThat(put)
        .containsEntry("Name", "/pinaivu/s/parent-secret")
        .containsEntry("Type", "SecureString")
        .containsEntry("KeyId", "arn:aws:kms:eu-west-1:111122223333:key/parent")
        .containsEntry("Value", generated);
    bash(dir, run, "save"); // the second start: already kept, nothing replaced
    assertThat(Json.map(stored(stored))).containsEntry("Value", generated);

    Files.delete(secret); // a replaced instance: the kept secret comes back, owner-only
    bash(dir, run, "restore");
    assertThat(Files.readString(secret)).isEqualTo(generated + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(calls)).doesNotContain(generated);
  }

  private static Object stored(Path file) throws Exception {
    return new ObjectMapper().readValue(Files.readString(file), Map.class);
  }

  private static String script() {
    return CoordinatorUserData.render(
        "eu-west-1",
        "s3://b/e.eif",
        "s3://b/run.sh",
        "s3://b/gateway.zip",
        "/pinaivu/s/coordinator-identity",
        2,
        2048,
        "log-table-1",
        "coordinator.example.com/receipts",
        "alias/seal-key",
        "/pinaivu/s/parent-secret",
        "arn:aws:kms:eu-west-1:111122223333:key/parent");
  }

  /** Runs {@code script} with bash and the test's bin first on the PATH; its output. */
  private static String bash(Path dir, Path script, String arg) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), arg);
    builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out;
  }

  /** The text of a file the script writes with {@code cat > path <<'SCRIPT'}. */
  static String heredoc(String script, String path) {
    String start = "cat > " + path + " <<'SCRIPT'\n";
    int from = script.indexOf(start);
    assertThat(from).as("the script writes %s", path).isNotNegative();
    int body = from + start.length();
    return script.substring(body, script.indexOf("\nSCRIPT\n", body) + 1);
  }

  /** The text of the unit file {@code name} that the script writes with a heredoc. */
  static String unit(String script, String name) {
    String start = "cat > /etc/systemd/system/" + name + " <<'UNIT'\n";
    int from = script.indexOf(start);
    assertThat(from).as("the script writes %s", name).isNotNegative();
    int body = from + start.length();
    return script.substring(body, script.indexOf("\nUNIT\n", body));
  }

  @Test
  void fill_whenAPlaceholderHasNoValue_failsAtSynth() {
    assertThatThrownBy(() -> CoordinatorUserData.fill("a @REGION@ @TYPO@", Map.of("REGION", "r")))
        .hasMessage("user-data.sh: no value for @TYPO@");
  }

  @Test
  void fill_takesValuesLiterally() {
    assertThat(CoordinatorUserData.fill("x=@A@", Map.of("A", "$1\\"))).isEqualTo("x=$1\\");
  }
}
