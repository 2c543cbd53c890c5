package dev.pinaivu.infra;

import static dev.pinaivu.infra.SynthesizedStack.PCR0;
import static dev.pinaivu.infra.SynthesizedStack.actions;
import static dev.pinaivu.infra.SynthesizedStack.keyStatements;
import static dev.pinaivu.infra.SynthesizedStack.statementsFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.s3.assets.Asset;

/** Who may use the KMS keys: only the measured enclave decrypts, in every policy of the stack. */
class KeyPolicyTest {

  final SynthesizedStack synth = SynthesizedStack.get();

  @Test
  void keys_letTheRoleDecryptAndGenerateOnlyWithThePinnedPcr0() {
    List<Map<String, Object>> keys = synth.enclaveKeys();
    assertThat(keys).hasSize(2);
    for (Map<String, Object> key : keys) {
      assertThat(key).containsEntry("EnableKeyRotation", true);
      List<Map<String, Object>> forRole = statementsFor(keyStatements(key), synth.roleArn());
      Map<String, Object> enclave =
          forRole.stream()
              .filter(s -> actions(s).contains("kms:Decrypt"))
              .findFirst()
              .orElseThrow();
      assertThat(enclave.get("Effect")).isEqualTo("Allow");
      assertThat(actions(enclave)).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
      assertThat(enclave.get("Condition"))
          .isEqualTo(
              Map.of(
                  "StringEqualsIgnoreCase", Map.of("kms:RecipientAttestation:ImageSha384", PCR0)));
      assertThat(keyStatements(key))
          .anySatisfy(deny -> {
            assertThat(deny.get("Effect")).isEqualTo("Deny");
            assertThat(deny.get("Principal")).isEqualTo(Map.of("AWS", "*"));
            assertThat(actions(deny)).contains("kms:Decrypt", "kms:GenerateDataKey");
            assertThat(deny.get("Condition"))
                .isEqualTo(
                    Map.of(
                        "StringNotEqualsIgnoreCase",
                        Map.of("kms:RecipientAttestation:ImageSha384", PCR0)));
          });
    }
  }

  @Test
  void onlyTheSealKeyLetsTheParentEncrypt() {
    long sealing =
        synth.enclaveKeys().stream()
            .filter(key ->
                statementsFor(keyStatements(key), synth.roleArn()).stream()
                    .anyMatch(s -> actions(s).contains("kms:Encrypt")))
            .count();
    assertThat(sealing).isEqualTo(1);
  }

  @Test
  void theRolesIamPolicies_grantNoKmsAction_soItMayOnlyEncryptWithTheSealKey() {
    assertThat(synth.iamStatements().stream().filter(s -> !SynthesizedStack.onParentSecretKey(s)))
        .isNotEmpty()
        .allSatisfy(statement ->
            assertThat(actions(statement)).noneMatch(a -> a.startsWith("kms:") || a.equals("*")));
  }

  @Test
  void theParentSecretsKey_servesTheRoleThroughParameterStoreOnly_andNoEnclaveKeyIsIt() {
    List<Map<String, Object>> onKey =
        synth.iamStatements().stream().filter(SynthesizedStack::onParentSecretKey).toList();
    assertThat(onKey)
        .singleElement()
        .satisfies(s -> {
          assertThat(actions(s))
              .containsExactlyInAnyOrder("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey");
          assertThat(String.valueOf(s.get("Condition")))
              .contains("kms:ViaService")
              .contains("ssm.");
        });
    assertThat(synth.enclaveKeyIds())
        .noneMatch(id -> id.startsWith(SynthesizedStack.PARENT_SECRET_KEY));
  }

  @Test
  void noPolicyAnywhere_grantsDecryptWithoutTheAttestation() {
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Map<String, Object> key : synth.enclaveKeys()) {
      statements.addAll(keyStatements(key));
    }
    for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
      for (Map<String, Object> policy : synth.ofType(type)) {
        Json.<Map<String, Object>>list(Json.map(policy.get("PolicyDocument")).get("Statement"))
            .stream()
            .filter(s -> !SynthesizedStack.onParentSecretKey(s))
            .forEach(statements::add);
      }
    }
    for (Map<String, Object> role : synth.ofType("AWS::IAM::Role")) {
      for (Object inline : Json.list(role.getOrDefault("Policies", List.of()))) {
        statements.addAll(
            Json.list(Json.map(Json.map(inline).get("PolicyDocument")).get("Statement")));
      }
    }
    assertThat(statements).isNotEmpty();
    for (Map<String, Object> statement : statements) {
      boolean opens =
          actions(statement).stream()
              .anyMatch(a ->
                  a.equals("kms:*")
                      || a.equals("*")
                      || a.startsWith("kms:Decrypt")
                      || a.startsWith("kms:GenerateDataKey")
                      || a.equals("kms:ReEncrypt*"));
      boolean accountAdmin = String.valueOf(statement.get("Principal")).contains(":root");
      if (opens && "Allow".equals(statement.get("Effect")) && !accountAdmin) {
        assertThat(String.valueOf(statement.get("Condition")))
            .as("statement %s", statement)
            .contains("kms:RecipientAttestation:ImageSha384=" + PCR0);
      }
    }
  }

  @Test
  void instanceRole_readsTheThreeAssetObjectsAndNoOtherS3() {
    List<Map<String, Object>> s3 =
        synth.iamStatements().stream()
            .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:")))
            .toList();

    assertThat(s3)
        .singleElement()
        .satisfies(s -> assertThat(actions(s)).containsExactly("s3:GetObject"));
    List<Object> objects = Json.list(s3.getFirst().get("Resource"));
    assertThat(objects).hasSize(3);
    assertThat(objects.stream().map(Json::joined))
        .allSatisfy(arn -> assertThat(arn).doesNotEndWith("*"))
        .anySatisfy(arn -> assertThat(arn).endsWith(".eif"))
        .anySatisfy(arn -> assertThat(arn).endsWith(".sh"))
        .anySatisfy(arn -> assertThat(arn).endsWith(".zip"));
    Asset gateway = synth.stack.coordinator().gateway();
    assertThat(objects)
        .contains(synth.stack.resolve(gateway.getBucket().arnForObjects(gateway.getS3ObjectKey())));
  }

  @Test
  void instanceRole_keepsTheIdentityBlobInItsOneParameter() {
    Map<String, Object> ssm =
        synth.iamStatements().stream()
            .filter(s -> actions(s).contains("ssm:PutParameter"))
            .findFirst()
            .orElseThrow();

    assertThat(actions(ssm)).containsExactlyInAnyOrder("ssm:GetParameter", "ssm:PutParameter");
    assertThat(Json.joined(ssm.get("Resource")))
        .endsWith(":parameter/pinaivu/Test/coordinator-identity");
    assertThat(synth.userData())
        .contains("PARAMETER='/pinaivu/Test/coordinator-identity'")
        .contains("ExecStartPre=/opt/pinaivu/identity-blob.sh restore\n")
        .contains("systemctl enable --now pinaivu-identity-save.path");
  }
}
