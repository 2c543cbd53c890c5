package dev.pinaivu.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatorUserDataTest {

  @Test
  void render_fillsEveryPlaceholder() {
    String script =
        CoordinatorUserData.render(
            "eu-west-1",
            "s3://b/e.eif",
            "s3://b/run.sh",
            "/pinaivu/s/coordinator-identity",
            2,
            3072);

    assertThat(script)
        .startsWith("#!/bin/bash")
        .doesNotContainPattern("@[A-Z_]+@")
        .contains("dnf install -y aws-nitro-enclaves-cli aws-nitro-enclaves-cli-devel socat jq")
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
  void fill_whenAPlaceholderHasNoValue_failsAtSynth() {
    assertThatThrownBy(() -> CoordinatorUserData.fill("a @REGION@ @TYPO@", Map.of("REGION", "r")))
        .hasMessage("user-data.sh: no value for @TYPO@");
  }

  @Test
  void fill_takesValuesLiterally() {
    assertThat(CoordinatorUserData.fill("x=@A@", Map.of("A", "$1\\"))).isEqualTo("x=$1\\");
  }
}
