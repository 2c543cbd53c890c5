package dev.pinaivu.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack the tests assert on, synthesized once per JVM (the first jsii call takes seconds) from
 * a placeholder EIF, placeholder gateway jars and the real run-enclave.sh, with cdk-nag applied as
 * in the app; plus ways to read its template.
 */
final class SynthesizedStack {

  static final String PCR0 = "0123456789abcdef".repeat(6);
  static final String LOG_ORIGIN = "test.pinaivu.dev/receipts";

  private static SynthesizedStack shared;

  final CoordinatorStack stack;
  final Template template;
  final Map<String, Map<String, Object>> resources;

  private SynthesizedStack(Path dir) throws IOException {
    CoordinatorProps props = props(dir);
    App app = App.Builder.create().outdir(dir.resolve("cdk.out").toString()).build();
    stack = new CoordinatorStack(app, "Test", StackProps.builder().build(), props);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().build()));
    template = Template.fromStack(stack);
    resources = Json.resources(template.toJSON().get("Resources"));
  }

  /** The coordinator stack's props from placeholder files in {@code dir}. */
  static CoordinatorProps props(Path dir) throws IOException {
    Path eif = Files.write(dir.resolve("placeholder-not-an-enclave.eif"), new byte[] {0x45, 1});
    Path jar = Files.writeString(dir.resolve("placeholder-not-a-gateway.jar"), "PK");
    Files.writeString(
        Files.createDirectory(dir.resolve("lib")).resolve("placeholder-not-a-library.jar"), "PK");
    CoordinatorProps props =
        new CoordinatorProps(
            eif,
            PinaivuApp.repoRoot().resolve(PinaivuApp.RUN_SCRIPT),
            jar,
            PCR0,
            null,
            null,
            null,
            2,
            2048,
            LOG_ORIGIN);
    return props;
  }

  static synchronized SynthesizedStack get() {
    if (shared == null) {
      try {
        shared = new SynthesizedStack(Files.createTempDirectory("infra-cdk-test"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** The properties of every resource of a type. */
  List<Map<String, Object>> ofType(String type) {
    return resources.values().stream()
        .filter(r -> type.equals(r.get("Type")))
        .map(r -> Json.map(r.getOrDefault("Properties", Map.of())))
        .toList();
  }

  String userData() {
    Map<String, Object> instance = ofType("AWS::EC2::Instance").getFirst();
    return Json.joined(Json.map(instance.get("UserData")).get("Fn::Base64"));
  }

  /** The instance role's ARN as the template writes it in a principal. */
  Object roleArn() {
    String roleId =
        resources.entrySet().stream()
            .filter(e -> "AWS::IAM::Role".equals(e.getValue().get("Type")))
            .map(Map.Entry::getKey)
            .filter(id -> id.startsWith("CoordinatorRole"))
            .findFirst()
            .orElseThrow();
    return Map.of("Fn::GetAtt", List.of(roleId, "Arn"));
  }

  /** Statements of every IAM policy in the template. */
  /** The logical id prefix of the parent secret's key (FunctionsEndpoint), not an enclave key. */
  static final String PARENT_SECRET_KEY = "FunctionsParentSecretKey";

  /**
   * The two keys only the measured enclave may decrypt with (ADR 14): every KMS key but the parent
   * secret's, which the parent may use through Parameter Store (it holds that secret anyway).
   */
  List<Map<String, Object>> enclaveKeys() {
    return enclaveKeyIds().stream()
        .map(id -> Json.<Object>map(resources.get(id).getOrDefault("Properties", Map.of())))
        .toList();
  }

  List<String> enclaveKeyIds() {
    return resources.entrySet().stream()
        .filter(e -> "AWS::KMS::Key".equals(e.getValue().get("Type")))
        .map(Map.Entry::getKey)
        .filter(id -> !id.startsWith(PARENT_SECRET_KEY))
        .toList();
  }

  /** The IAM statements that name the parent secret's key. */
  static boolean onParentSecretKey(Map<String, Object> statement) {
    return String.valueOf(statement.get("Resource")).contains(PARENT_SECRET_KEY);
  }

  List<Map<String, Object>> iamStatements() {
    return ofType("AWS::IAM::Policy").stream()
        .flatMap(p ->
            Json.<Map<String, Object>>list(Json.map(p.get("PolicyDocument")).get("Statement"))
                .stream())
        .toList();
  }

  static List<Map<String, Object>> keyStatements(Map<String, Object> key) {
    return Json.list(Json.map(key.get("KeyPolicy")).get("Statement"));
  }

  static List<Map<String, Object>> statementsFor(
      List<Map<String, Object>> statements, Object principal) {
    return statements.stream()
        .filter(s -> Map.of("AWS", principal).equals(s.get("Principal")))
        .toList();
  }

  static List<String> actions(Map<String, Object> statement) {
    Object action = statement.get("Action");
    if (action instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return action == null ? List.of() : List.of(action.toString());
  }
}
