package dev.pinaivu.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorPropsTest {

  static final String PCR0 = "ab".repeat(48);

  @TempDir Path dir;
  Path eif;
  Path script;
  Path jar;

  @BeforeEach
  void files() throws IOException {
    eif = Files.write(dir.resolve("placeholder-not-an-enclave.eif"), new byte[] {1, 2, 3});
    script = Files.writeString(dir.resolve("run-enclave.sh"), "#!/bin/sh\n");
    jar = Files.writeString(dir.resolve("placeholder-not-a-gateway.jar"), "PK");
    Files.writeString(
        Files.createDirectory(dir.resolve("lib")).resolve("placeholder-not-a-library.jar"), "PK");
  }

  CoordinatorProps props(Path eifPath, String pcr0, String type, int cpus, int memory) {
    return new CoordinatorProps(eifPath, script, jar, pcr0, null, null, type, cpus, memory, null);
  }

  CoordinatorProps withGateway(Path gatewayJar, String logOrigin) {
    return new CoordinatorProps(
        eif, script, gatewayJar, PCR0, null, null, null, 2, 2048, logOrigin);
  }

  @Test
  void defaults_whenOnlyTheImageAndPcr0AreGiven() {
    CoordinatorProps props = props(eif, PCR0, null, 2, 2048);

    assertThat(props.instanceType()).isEqualTo("m6i.xlarge");
    assertThat(props.eifPath()).isAbsolute();
    assertThat(props.gatewayJar()).isAbsolute();
    assertThat(props.logOrigin()).isEqualTo("local.pinaivu.dev/receipts");
    assertThat(props.pinnedPcrs()).containsExactly(java.util.Map.entry("PCR0", PCR0));
  }

  @Test
  void eifPath_whenMissing_saysWhereItComesFrom() {
    assertThatThrownBy(() -> props(null, PCR0, null, 2, 2048))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eifPath is required")
        .hasMessageContaining("build-enclave.sh");
  }

  @Test
  void eifPath_whenNotAFile_isRefused() {
    assertThatThrownBy(() -> props(dir.resolve("nothing.eif"), PCR0, null, 2, 2048))
        .hasMessageContaining("nothing.eif is not a file");
    assertThatThrownBy(() -> props(dir, PCR0, null, 2, 2048)).hasMessageContaining("not a file");
  }

  @Test
  void pcr0_whenMissingShortUpperCaseOrAllZeros_isRefused() {
    assertThatThrownBy(() -> props(eif, null, null, 2, 2048))
        .hasMessage(
            "pcr0 must be 96 lowercase hex characters (SHA-384, as in pcrs.json), was missing");
    assertThatThrownBy(() -> props(eif, "ab".repeat(47), null, 2, 2048))
        .hasMessageContaining("pcr0 must be 96 lowercase hex");
    assertThatThrownBy(() -> props(eif, PCR0.toUpperCase(), null, 2, 2048))
        .hasMessageContaining("pcr0 must be 96 lowercase hex");
    assertThatThrownBy(() -> props(eif, "0".repeat(96), null, 2, 2048))
        .hasMessageContaining("debug-mode enclave");
  }

  @Test
  void pcr1AndPcr2_whenGiven_areValidatedAndPinned() {
    String pcr1 = "cd".repeat(48);
    assertThatThrownBy(
            () -> new CoordinatorProps(eif, script, jar, PCR0, "xyz", null, null, 2, 2048, null))
        .hasMessageContaining("pcr1 must be 96 lowercase hex");

    CoordinatorProps props =
        new CoordinatorProps(eif, script, jar, PCR0, pcr1, PCR0, null, 2, 2048, null);

    assertThat(props.pinnedPcrs()).containsOnlyKeys("PCR0", "PCR1", "PCR2");
  }

  @Test
  void instanceType_armOrWithFewerThanFourVcpus_isRefused() {
    assertThatThrownBy(() -> props(eif, PCR0, "m6i.large", 2, 2048))
        .hasMessageContaining("at least 4 vCPUs");
    assertThatThrownBy(() -> props(eif, PCR0, "m7g.xlarge", 2, 2048))
        .hasMessageContaining("arm64 (Graviton)");
    assertThatThrownBy(() -> props(eif, PCR0, "c7gn.2xlarge", 2, 2048))
        .hasMessageContaining("arm64 (Graviton)");
    assertThat(props(eif, PCR0, "m7a.xlarge", 2, 2048).instanceType()).isEqualTo("m7a.xlarge");
    assertThatThrownBy(() -> props(eif, PCR0, "not a type", 2, 2048))
        .hasMessageContaining("must look like m6i.xlarge");
  }

  @Test
  void enclaveCpus_mustBeWholeCoresAndLeaveSomeForTheParent() {
    assertThatThrownBy(() -> props(eif, PCR0, "m6i.xlarge", 3, 2048))
        .hasMessageContaining("even number");
    assertThatThrownBy(() -> props(eif, PCR0, "m6i.xlarge", 4, 2048))
        .hasMessageContaining("leaves nothing for the parent");
    assertThat(props(eif, PCR0, "c6i.2xlarge", 6, 4096).enclaveCpus()).isEqualTo(6);
    assertThat(props(eif, PCR0, "m6i.metal", 8, 4096).enclaveCpus()).isEqualTo(8);
  }

  @Test
  void enclaveMemory_belowWhatTheImageNeeds_isRefused() {
    assertThatThrownBy(() -> props(eif, PCR0, null, 2, 256))
        .hasMessageContaining("enclaveMemoryMib must be at least 512");
  }

  @Test
  void gatewayJar_whenMissing_saysHowToBuildIt() {
    assertThatThrownBy(() -> withGateway(null, null))
        .hasMessageContaining("gatewayJar is required")
        .hasMessageContaining("./mvnw -B -pl cli -am package -DskipTests");
    assertThatThrownBy(() -> withGateway(dir.resolve("pinaivu.jar"), null))
        .hasMessageContaining("pinaivu.jar is not a file")
        .hasMessageContaining("./mvnw -B -pl cli -am package -DskipTests");
  }

  @Test
  void gatewayJar_withoutLibraryJarsBesideIt_isRefused() throws IOException {
    Path alone = Files.createDirectory(dir.resolve("alone"));
    Path jarAlone = Files.writeString(alone.resolve("pinaivu.jar"), "PK");
    assertThatThrownBy(() -> withGateway(jarAlone, null))
        .hasMessageContaining("has no lib/ directory of jars beside it")
        .hasMessageContaining("./mvnw -B -pl cli -am package -DskipTests");

    Files.writeString(Files.createDirectory(alone.resolve("lib")).resolve("notes.txt"), "x");
    assertThatThrownBy(() -> withGateway(jarAlone, null))
        .hasMessageContaining("has no lib/ directory of jars beside it");
  }

  @Test
  void logOrigin_isACheckpointKeyName() {
    assertThat(withGateway(jar, "coordinator.example.com/receipts").logOrigin())
        .isEqualTo("coordinator.example.com/receipts");
    for (String bad : List.of("", "  ", "a b", "a+b", "a\nb", "a\tb", "a\u00a0b")) {
      assertThatThrownBy(() -> withGateway(jar, bad))
          .as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("logOrigin");
    }
  }

  @Test
  void logOrigin_withWhatSystemdWouldReinterpret_isRefused() {
    for (String bad : List.of("a%nb", "a$HOME", "a'b", "a\"b", "a\\b")) {
      assertThatThrownBy(() -> withGateway(jar, bad))
          .as("'%s'", bad)
          .hasMessageContaining("quote, backslash, '%' or '$'");
    }
  }
}
