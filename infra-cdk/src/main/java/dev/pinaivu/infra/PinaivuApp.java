package dev.pinaivu.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.constructs.Node;

/**
 * The CDK app: {@code ../mvnw -B -q -pl infra-cdk exec:java} (what cdk.json runs). Inputs come from
 * CDK context ({@code -c eifPath=… -c pcr0=…}, see docs/enclave.md "Deploy with CDK").
 */
public final class PinaivuApp {

  static final String RUN_SCRIPT = "coordinator-enclave/enclave/run-enclave.sh";
  static final String GATEWAY_JAR = "cli/target/pinaivu.jar";

  private PinaivuApp() {}

  /**
   * Strong cross-stack references, said outright (CDK warns when it is left to its default): the
   * coordinator stack cannot drop an export (its VPC, route tables, security group) while the
   * serverless stack uses it, and none of them changes when the coordinator's instance is replaced
   * (its address is published in Parameter Store instead, ADR 37).
   */
  static final Map<String, String> CONTEXT =
      Map.of("@aws-cdk/core:defaultCrossStackReferences", "strong");

  public static void main(String[] args) {
    App app = new App();
    CONTEXT.forEach(app.getNode()::setContext);
    CoordinatorProps props = fromContext(app.getNode(), repoRoot());
    CoordinatorStack coordinator =
        new CoordinatorStack(app, "PinaivuCoordinator", StackProps.builder().build(), props);
    Path functionsPackage = functionsPackage(app.getNode(), repoRoot());
    if (functionsPackage != null) {
      new ServerlessStack(
          app,
          "PinaivuServerless",
          StackProps.builder().build(),
          new ServerlessProps(
              functionsPackage,
              string(app.getNode(), "tablePrefix"),
              string(app.getNode(), "logTableName"),
              string(app.getNode(), "logOrigin")),
          coordinator.functions());
    }
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    app.synth();
  }

  /** The stack's inputs from CDK context; relative paths are taken from the repository root. */
  static CoordinatorProps fromContext(Node context, Path repoRoot) {
    String eif = string(context, "eifPath");
    String gatewayJar = string(context, "gatewayJar");
    return new CoordinatorProps(
        eif == null ? null : repoRoot.resolve(eif),
        repoRoot.resolve(RUN_SCRIPT),
        repoRoot.resolve(gatewayJar == null ? GATEWAY_JAR : gatewayJar),
        string(context, "pcr0"),
        string(context, "pcr1"),
        string(context, "pcr2"),
        string(context, "instanceType"),
        number(context, "enclaveCpus", CoordinatorProps.DEFAULT_ENCLAVE_CPUS),
        number(context, "enclaveMemoryMib", CoordinatorProps.DEFAULT_ENCLAVE_MEMORY_MIB),
        string(context, "logOrigin"));
  }

  /**
   * The Lambda package the serverless stack deploys: {@code -c functionsPackage=...}, else the one
   * {@code ./mvnw -DskipTests package} leaves in functions/target; null when there is none (the app
   * then synthesizes the coordinator stack alone).
   */
  static Path functionsPackage(Node context, Path repoRoot) {
    String given = string(context, "functionsPackage");
    if (given != null) {
      return repoRoot.resolve(given);
    }
    try (var found = Files.list(repoRoot.resolve("functions/target"))) {
      return found
          .filter(p -> p.getFileName().toString().endsWith("-lambda.zip"))
          .findFirst()
          .orElse(null);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /**
   * The checkout this module is in: the first directory up from the working directory (the
   * repository root or infra-cdk/, whichever Maven or cdk runs in) that holds the run script.
   */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path at = dir; at != null; at = at.getParent()) {
      if (Files.isRegularFile(at.resolve(RUN_SCRIPT))) {
        return at;
      }
    }
    throw new IllegalStateException(
        "cannot find " + RUN_SCRIPT + " above " + dir + ": run the app inside the checkout");
  }

  private static String string(Node context, String key) {
    Object value = context.tryGetContext(key);
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    return value.toString().trim();
  }

  private static int number(Node context, String key, int fallback) {
    String value = string(context, key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
    }
  }
}
