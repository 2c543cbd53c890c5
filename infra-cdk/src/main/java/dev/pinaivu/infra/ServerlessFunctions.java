package dev.pinaivu.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;

/**
 * How the serverless stack makes its functions: one role per function (the basic execution policy
 * and the statements added for it, nothing shared), the same runtime, architecture and package for
 * all, and the table actions each function's adapters call on the network table and its indexes.
 * Keeps every function and role it made, for the alarms and cdk-nag's suppressions.
 */
final class ServerlessFunctions {
  static final String HANDLERS = "dev.pinaivu.functions.api.";

  private final Stack stack;
  private final Code code;
  private final ITable table;
  private final Map<String, Function> functions = new LinkedHashMap<>();
  private final List<Role> roles = new ArrayList<>();

  ServerlessFunctions(Stack stack, Code code, ITable table) {
    this.stack = stack;
    this.code = code;
    this.table = table;
  }

  /**
   * A function builder with the shared settings: the newest Java runtime (the functions are built
   * for 21 and run on it), arm64, 1 GB, its own role.
   */
  Function.Builder builder(String id, String handler, Map<String, String> env) {
    return Function.Builder.create(stack, id)
        .runtime(Runtime.JAVA_25)
        .architecture(Architecture.ARM_64)
        .handler(handler)
        .code(code)
        .memorySize(1024)
        .timeout(Duration.seconds(29))
        .environment(env)
        .role(role(id));
  }

  /** A buffered function of {@code handler}'s {@code handleRequest}, kept under {@code id}. */
  Function function(String id, String handler, Map<String, String> env) {
    return add(id, builder(id, handler + "::handleRequest", env).build());
  }

  Function add(String id, Function fn) {
    functions.putIfAbsent(id, fn);
    return fn;
  }

  Function get(String id) {
    return functions.get(id);
  }

  private Role role(String id) {
    Role role =
        Role.Builder.create(stack, id + "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .managedPolicies(
                List.of(
                    ManagedPolicy.fromAwsManagedPolicyName(
                        "service-role/AWSLambdaBasicExecutionRole")))
            .build();
    roles.add(role);
    return role;
  }

  /** {@code actions} on the network table and its indexes, nothing else. */
  void allow(Function fn, List<String> actions) {
    fn.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(actions)
            .resources(
                List.of(
                    table.getTableArn(),
                    table.getTableArn() + "/index/gsi1",
                    table.getTableArn() + "/index/gsi2"))
            .build());
  }

  /** What the log store's adapter reads of the log table and its leaf-hash index, nothing else. */
  void allowLogRead(Function fn, String logTable) {
    String arn =
        "arn:"
            + stack.getPartition()
            + ":dynamodb:"
            + stack.getRegion()
            + ":"
            + stack.getAccount()
            + ":table/"
            + logTable;
    fn.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(LogTable.LOG_STORE_READ_ACTIONS)
            .resources(List.of(arn, arn + "/index/" + LogTable.BY_LEAF_HASH))
            .build());
  }

  Map<String, Function> all() {
    return Map.copyOf(functions);
  }

  List<Role> roles() {
    return List.copyOf(roles);
  }
}
