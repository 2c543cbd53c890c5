package dev.pinaivu.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.sqs.Queue;

/** One stack, synthesized once (the first jsii call of a JVM takes seconds), asserted on. */
class CoordinatorStackTest {

  static final String PCR0 = "0123456789abcdef".repeat(6);

  @TempDir static Path dir;
  static CoordinatorStack stack;
  static Template template;
  static Map<String, Map<String, Object>> resources;

  @BeforeAll
  static void synth() throws IOException {
    Path eif = Files.write(dir.resolve("placeholder-not-an-enclave.eif"), new byte[] {0x45, 1});
    CoordinatorProps props =
        new CoordinatorProps(
            eif,
            PinaivuApp.repoRoot().resolve(PinaivuApp.RUN_SCRIPT),
            PCR0,
            null,
            null,
            null,
            2,
            2048);
    App app = App.Builder.create().outdir(dir.resolve("cdk.out").toString()).build();
    stack = new CoordinatorStack(app, "Test", StackProps.builder().build(), props);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().build()));
    template = Template.fromStack(stack);
    resources = Json.resources(template.toJSON().get("Resources"));
  }

  @Test
  void instance_runsEnclavesAndAcceptsOnlyImdsv2() {
    template.hasResourceProperties(
        "AWS::EC2::Instance", Map.of("EnclaveOptions", Map.of("Enabled", true)));
    Map<String, Object> instance = ofType("AWS::EC2::Instance").getFirst();
    List<Object> version =
        Json.list(
            Json.map(Json.map(instance.get("LaunchTemplate")).get("Version")).get("Fn::GetAtt"));
    Map<String, Object> launchTemplate =
        Json.map(resources.get(String.valueOf(version.getFirst())).get("Properties"));
    assertThat(Json.map(launchTemplate.get("LaunchTemplateData")).get("MetadataOptions"))
        .isEqualTo(Map.of("HttpTokens", "required"));
    template.hasResourceProperties(
        "AWS::EC2::Instance",
        Map.of(
            "BlockDeviceMappings",
            List.of(Match.objectLike(Map.of("Ebs", Match.objectLike(Map.of("Encrypted", true)))))));
    assertThat(instance).doesNotContainKey("KeyName");
  }

  @Test
  void keys_letTheRoleDecryptAndGenerateOnlyWithThePinnedPcr0() {
    List<Map<String, Object>> keys = ofType("AWS::KMS::Key");
    assertThat(keys).hasSize(2);
    for (Map<String, Object> key : keys) {
      assertThat(key).containsEntry("EnableKeyRotation", true);
      List<Map<String, Object>> forRole = statementsFor(keyStatements(key), roleArn());
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
  void instance_startsAfterTheKeyPoliciesAcceptItsImage() {
    Map<String, Object> instance =
        resources.values().stream()
            .filter(r -> "AWS::EC2::Instance".equals(r.get("Type")))
            .findFirst()
            .orElseThrow();
    List<String> keyIds =
        resources.entrySet().stream()
            .filter(e -> "AWS::KMS::Key".equals(e.getValue().get("Type")))
            .map(Map.Entry::getKey)
            .toList();

    assertThat(Json.<String>list(instance.get("DependsOn"))).containsAll(keyIds);
  }

  @Test
  void onlyTheSealKeyLetsTheParentEncrypt() {
    long sealing =
        ofType("AWS::KMS::Key").stream()
            .filter(key ->
                statementsFor(keyStatements(key), roleArn()).stream()
                    .anyMatch(s -> actions(s).contains("kms:Encrypt")))
            .count();
    assertThat(sealing).isEqualTo(1);
  }

  @Test
  void noPolicyAnywhere_grantsDecryptWithoutTheAttestation() {
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Map<String, Object> key : ofType("AWS::KMS::Key")) {
      statements.addAll(keyStatements(key));
    }
    for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
      for (Map<String, Object> policy : ofType(type)) {
        statements.addAll(Json.list(Json.map(policy.get("PolicyDocument")).get("Statement")));
      }
    }
    for (Map<String, Object> role : ofType("AWS::IAM::Role")) {
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
  void instanceRole_readsTheTwoAssetObjectsAndNoOtherS3() {
    List<Map<String, Object>> s3 =
        ofType("AWS::IAM::Policy").stream()
            .flatMap(p ->
                Json.<Map<String, Object>>list(Json.map(p.get("PolicyDocument")).get("Statement"))
                    .stream())
            .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:")))
            .toList();

    assertThat(s3)
        .singleElement()
        .satisfies(s -> assertThat(actions(s)).containsExactly("s3:GetObject"));
    List<Object> objects = Json.list(s3.getFirst().get("Resource"));
    assertThat(objects).hasSize(2);
    assertThat(objects.stream().map(Json::joined))
        .allSatisfy(arn -> assertThat(arn).doesNotEndWith("*"))
        .anySatisfy(arn -> assertThat(arn).endsWith(".eif"))
        .anySatisfy(arn -> assertThat(arn).endsWith(".sh"));
  }

  @Test
  void instanceRole_keepsTheIdentityBlobInItsOneParameter() {
    Map<String, Object> ssm =
        ofType("AWS::IAM::Policy").stream()
            .flatMap(p ->
                Json.<Map<String, Object>>list(Json.map(p.get("PolicyDocument")).get("Statement"))
                    .stream())
            .filter(s -> actions(s).contains("ssm:PutParameter"))
            .findFirst()
            .orElseThrow();

    assertThat(actions(ssm)).containsExactlyInAnyOrder("ssm:GetParameter", "ssm:PutParameter");
    assertThat(Json.joined(ssm.get("Resource")))
        .endsWith(":parameter/pinaivu/Test/coordinator-identity");
    assertThat(userData())
        .contains("PARAMETER='/pinaivu/Test/coordinator-identity'")
        .contains("ExecStartPre=/opt/pinaivu/identity-blob.sh restore\n")
        .contains("systemctl enable --now pinaivu-identity-save.path");
  }

  @Test
  void stack_synthesizesWithoutWarnings() {
    assertThat(Annotations.fromStack(stack).findWarning("*", Match.anyValue())).isEmpty();
  }

  @Test
  void cdkNag_isActive_onAStackThatBreaksItsRules() {
    App app = new App();
    Stack bad = new Stack(app, "Bad");
    Queue.Builder.create(bad, "Queue").build();
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().build()));

    assertThat(
            Annotations.fromStack(bad).findError("*", Match.stringLikeRegexp("AwsSolutions-SQS.*")))
        .isNotEmpty();
  }

  @Test
  void logTable_hasTheAdaptersSchema_andIsKept() {
    template.hasResource(
        "AWS::DynamoDB::Table",
        Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
    template.hasResourceProperties(
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
    Object instanceGroup = stack.resolve(stack.coordinator().securityGroup().getSecurityGroupId());
    Map<String, Object> group =
        ofType("AWS::EC2::SecurityGroup").stream()
            .filter(g -> String.valueOf(g.get("GroupDescription")).startsWith("Coordinator parent"))
            .findFirst()
            .orElseThrow();
    assertThat(group).doesNotContainKey("SecurityGroupIngress");
    for (Map<String, Object> other : ofType("AWS::EC2::SecurityGroup")) {
      assertThat(other).doesNotContainKey("SecurityGroupIngress");
    }
    List<Map<String, Object>> ingress = ofType("AWS::EC2::SecurityGroupIngress");
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
    assertThat(userData())
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
  void network_hasNoNatOrInternetGateway_andTheEndpointsTheInstanceNeeds() {
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::EC2::InternetGateway", 0);
    String endpoints = ofType("AWS::EC2::VPCEndpoint").toString();
    for (String service : List.of("kms", "ssm", "ssmmessages", "ec2messages", "s3", "dynamodb")) {
      assertThat(endpoints).contains("." + service + "]");
    }
  }

  @Test
  void cdkNag_reportsNoAwsSolutionsErrors() {
    assertThat(
            Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
        .isEmpty();
  }

  @Test
  void fromContext_withoutTheImage_failsWithTheReason() {
    App app = App.Builder.create().context(Map.of("pcr0", PCR0)).build();

    assertThatThrownBy(() -> PinaivuApp.fromContext(app.getNode(), PinaivuApp.repoRoot()))
        .hasMessageStartingWith("eifPath is required");
  }

  private static List<Map<String, Object>> ofType(String type) {
    return resources.values().stream()
        .filter(r -> type.equals(r.get("Type")))
        .map(r -> Json.map(r.getOrDefault("Properties", Map.of())))
        .toList();
  }

  private static String userData() {
    Map<String, Object> instance = ofType("AWS::EC2::Instance").getFirst();
    return Json.joined(Json.map(instance.get("UserData")).get("Fn::Base64"));
  }

  private static Object roleArn() {
    String roleId =
        resources.entrySet().stream()
            .filter(e -> "AWS::IAM::Role".equals(e.getValue().get("Type")))
            .map(Map.Entry::getKey)
            .filter(id -> id.startsWith("CoordinatorRole"))
            .findFirst()
            .orElseThrow();
    return Map.of("Fn::GetAtt", List.of(roleId, "Arn"));
  }

  private static List<Map<String, Object>> keyStatements(Map<String, Object> key) {
    return Json.list(Json.map(key.get("KeyPolicy")).get("Statement"));
  }

  private static List<Map<String, Object>> statementsFor(
      List<Map<String, Object>> statements, Object principal) {
    return statements.stream()
        .filter(s -> Map.of("AWS", principal).equals(s.get("Principal")))
        .toList();
  }

  private static List<String> actions(Map<String, Object> statement) {
    Object action = statement.get("Action");
    if (action instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return action == null ? List.of() : List.of(action.toString());
  }
}
