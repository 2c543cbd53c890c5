package dev.pinaivu.infra;

import static dev.pinaivu.infra.SynthesizedStack.PCR0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;

/** The synthesized coordinator stack: instance, network, table, user data. */
class CoordinatorStackTest {

  final SynthesizedStack synth = SynthesizedStack.get();

  @Test
  void instance_runsEnclavesAndAcceptsOnlyImdsv2() {
    synth.template.hasResourceProperties(
        "AWS::EC2::Instance", Map.of("EnclaveOptions", Map.of("Enabled", true)));
    Map<String, Object> instance = synth.ofType("AWS::EC2::Instance").getFirst();
    List<Object> version =
        Json.list(
            Json.map(Json.map(instance.get("LaunchTemplate")).get("Version")).get("Fn::GetAtt"));
    Map<String, Object> launchTemplate =
        Json.map(synth.resources.get(String.valueOf(version.getFirst())).get("Properties"));
    assertThat(Json.map(launchTemplate.get("LaunchTemplateData")).get("MetadataOptions"))
        .isEqualTo(Map.of("HttpTokens", "required"));
    synth.template.hasResourceProperties(
        "AWS::EC2::Instance",
        Map.of(
            "BlockDeviceMappings",
            List.of(Match.objectLike(Map.of("Ebs", Match.objectLike(Map.of("Encrypted", true)))))));
    assertThat(instance).doesNotContainKey("KeyName");
  }

  @Test
  void instance_startsAfterTheKeyPoliciesAcceptItsImage() {
    Map<String, Object> instance =
        synth.resources.values().stream()
            .filter(r -> "AWS::EC2::Instance".equals(r.get("Type")))
            .findFirst()
            .orElseThrow();
    List<String> keyIds = synth.enclaveKeyIds();

    assertThat(Json.<String>list(instance.get("DependsOn"))).containsAll(keyIds);
  }

  @Test
  void logTable_hasTheAdaptersSchema_andIsKept() {
    synth.template.hasResource(
        "AWS::DynamoDB::Table",
        Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
    synth.template.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "KeySchema",
            List.of(
                Map.of("AttributeName", "pk", "KeyType", "HASH"),
                Map.of("AttributeName", "sk", "KeyType", "RANGE")),
            "AttributeDefinitions",
            Match.arrayEquals(
                List.of(
                    Map.of("AttributeName", "pk", "AttributeType", "S"),
                    Map.of("AttributeName", "sk", "AttributeType", "N"),
                    Map.of("AttributeName", "leaf_hash_key", "AttributeType", "S"))),
            "BillingMode",
            "PAY_PER_REQUEST",
            "DeletionProtectionEnabled",
            true,
            "PointInTimeRecoverySpecification",
            Map.of("PointInTimeRecoveryEnabled", true),
            "GlobalSecondaryIndexes",
            List.of(
                Map.of(
                    "IndexName",
                    "by_leaf_hash",
                    "KeySchema",
                    List.of(
                        Map.of("AttributeName", "leaf_hash_key", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                    "Projection",
                    Map.of("ProjectionType", "KEYS_ONLY")))));
  }

  @Test
  void instanceSecurityGroup_hasNoIngress_andTheEndpointsOnlyHttpsFromIt() {
    Object instanceGroup =
        synth.stack.resolve(synth.stack.coordinator().securityGroup().getSecurityGroupId());
    Map<String, Object> group =
        synth.ofType("AWS::EC2::SecurityGroup").stream()
            .filter(g -> String.valueOf(g.get("GroupDescription")).startsWith("Coordinator parent"))
            .findFirst()
            .orElseThrow();
    assertThat(group).doesNotContainKey("SecurityGroupIngress");
    for (Map<String, Object> other : synth.ofType("AWS::EC2::SecurityGroup")) {
      assertThat(other).doesNotContainKey("SecurityGroupIngress");
    }
    List<Map<String, Object>> ingress = synth.ofType("AWS::EC2::SecurityGroupIngress");
    assertThat(ingress)
        .singleElement()
        .satisfies(rule -> {
          assertThat(rule.get("GroupId")).isNotEqualTo(instanceGroup);
          assertThat(rule.get("SourceSecurityGroupId")).isEqualTo(instanceGroup);
          assertThat(rule).containsEntry("FromPort", 443).containsEntry("ToPort", 443);
        });
  }

  @Test
  void userData_installsTheServiceWithTheStacksRegion() {
    assertThat(synth.userData())
        .contains("[Service]")
        .contains("Environment=KMS_REGION=${AWS::Region}\n")
        .contains("Environment=ENCLAVE_CPUS=2\n")
        .contains("Environment=ENCLAVE_MEMORY_MIB=2048\n")
        .contains("Environment=IDENTITY_FILE=/var/lib/pinaivu/identity.sealed\n")
        .contains("ExecStart=/opt/pinaivu/run-enclave.sh /opt/pinaivu/coordinator.eif\n")
        .contains("systemctl enable --now pinaivu-coordinator.service")
        .containsPattern(
            "aws s3 cp --region '\\$\\{AWS::Region}' '.*s3://.*\\.eif.*' /opt/pinaivu/coordinator.eif");
  }

  @Test
  void userData_runsTheGatewayOnLoopback_againstTheCoordinatorAndTheStacksTable() {
    Object tableRef = synth.stack.resolve(synth.stack.logTable().table().getTableName());
    String unit = CoordinatorUserDataTest.unit(synth.userData(), "pinaivu-gateway.service");

    assertThat(unit)
        .contains("User=pinaivu\n")
        .contains("After=network-online.target pinaivu-coordinator.service\n")
        .contains("Environment=AWS_REGION=${AWS::Region}\n")
        .contains(" gateway --host 127.0.0.1 --coordinator 127.0.0.1:5000 ")
        .contains(" --log-table " + Json.joined(tableRef) + " --aws-region ${AWS::Region} ")
        .contains(" --log-origin " + SynthesizedStack.LOG_ORIGIN + " ");
    assertThat(tableRef).isEqualTo(Map.of("Ref", tableLogicalId()));
    assertThat(synth.userData())
        .containsPattern(
            "aws s3 cp --region '\\$\\{AWS::Region}' '.*s3://.*\\.zip.*' /opt/pinaivu/gateway.zip")
        .contains("systemctl enable --now pinaivu-gateway.service");
  }

  @Test
  void userData_sealsTheParentSecretWithTheStacksSealKey_andGivesItToTheGateway() {
    String coordinator =
        CoordinatorUserDataTest.unit(synth.userData(), "pinaivu-coordinator.service");
    String gateway = CoordinatorUserDataTest.unit(synth.userData(), "pinaivu-gateway.service");
    String alias =
        String.valueOf(
            synth.ofType("AWS::KMS::Alias").stream()
                .map(a -> a.get("AliasName"))
                .filter(CoordinatorStack.SEAL_KEY_ALIAS::equals)
                .findFirst()
                .orElseThrow());

    assertThat(coordinator)
        .contains(
            " coordinator-secret --secret-file /var/lib/pinaivu/secret/coordinator-secret"
                + " --sealed-file /var/lib/pinaivu/secret/coordinator-secret.sealed --kms-key-id "
                + alias
                + " --kms-region ${AWS::Region}\n");
    assertThat(gateway)
        .contains(" --coordinator-secret-file /var/lib/pinaivu/gateway/coordinator-secret ");
  }

  @Test
  void theEnclaveImage_unsealsTheParentSecretWithTheStacksSealKey() throws IOException {
    String dockerfile =
        Files.readString(PinaivuApp.repoRoot().resolve("coordinator-enclave/enclave/Dockerfile"));

    assertThat(dockerfile)
        .contains("ARG PARENT_SECRET_KMS_KEY=" + CoordinatorStack.SEAL_KEY_ALIAS + "\n");
  }

  @Test
  void role_canDoWhatTheLogStoreDoes_onTheTableAndItsHashIndex_andNothingMore() {
    Object tableArn = synth.stack.resolve(synth.stack.logTable().table().getTableArn());
    List<Map<String, Object>> dynamo =
        synth.iamStatements().stream()
            .filter(
                s -> SynthesizedStack.actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:")))
            .toList();

    assertThat(dynamo)
        .singleElement()
        .satisfies(statement -> {
          assertThat(statement).containsEntry("Effect", "Allow");
          assertThat(SynthesizedStack.actions(statement))
              .containsExactlyInAnyOrder(
                  "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query");
          assertThat(Json.<Object>list(statement.get("Resource")))
              .containsExactlyInAnyOrder(
                  tableArn,
                  Map.of("Fn::Join", List.of("", List.of(tableArn, "/index/by_leaf_hash"))));
        });
  }

  private String tableLogicalId() {
    return synth.resources.entrySet().stream()
        .filter(e -> "AWS::DynamoDB::Table".equals(e.getValue().get("Type")))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void network_hasNoNatOrInternetGateway_andTheEndpointsTheInstanceNeeds() {
    synth.template.resourceCountIs("AWS::EC2::NatGateway", 0);
    synth.template.resourceCountIs("AWS::EC2::InternetGateway", 0);
    String endpoints = synth.ofType("AWS::EC2::VPCEndpoint").toString();
    for (String service : List.of("kms", "ssm", "ssmmessages", "ec2messages", "s3", "dynamodb")) {
      assertThat(endpoints).contains("." + service + "]");
    }
  }

  @Test
  void fromContext_withoutTheImage_failsWithTheReason() {
    App app = App.Builder.create().context(Map.of("pcr0", PCR0)).build();

    assertThatThrownBy(() -> PinaivuApp.fromContext(app.getNode(), PinaivuApp.repoRoot()))
        .hasMessageStartingWith("eifPath is required");
  }

  @Test
  void fromContext_takesTheGatewayFromCliTarget_andTheOriginFromContext(@TempDir Path root)
      throws IOException {
    Files.createDirectories(root.resolve(PinaivuApp.RUN_SCRIPT).getParent());
    Files.writeString(root.resolve(PinaivuApp.RUN_SCRIPT), "#!/bin/sh\n");
    Files.writeString(root.resolve("placeholder-not-an-enclave.eif"), "E");
    Map<String, Object> context =
        Map.of(
            "eifPath", "placeholder-not-an-enclave.eif",
            "pcr0", PCR0,
            "logOrigin", "coordinator.example.com/receipts");

    assertThatThrownBy(() ->
            PinaivuApp.fromContext(App.Builder.create().context(context).build().getNode(), root))
        .hasMessageContaining("cli/target/pinaivu.jar is not a file")
        .hasMessageContaining("./mvnw -B -pl cli -am package -DskipTests");

    Path lib = Files.createDirectories(root.resolve("cli/target/lib"));
    Files.writeString(lib.resolve("placeholder-not-a-library.jar"), "PK");
    Files.writeString(root.resolve(PinaivuApp.GATEWAY_JAR), "PK");
    CoordinatorProps props =
        PinaivuApp.fromContext(App.Builder.create().context(context).build().getNode(), root);

    assertThat(props.gatewayJar())
        .isEqualTo(root.resolve("cli/target/pinaivu.jar").toAbsolutePath().normalize());
    assertThat(props.logOrigin()).isEqualTo("coordinator.example.com/receipts");
  }
}
