package dev.pinaivu.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * What the serverless chat functions need to reach the coordinator (ADR 37), published under one
 * Parameter Store path: {@code coordinator-address}, the parent instance's private address and
 * {@link #PORT} (CloudFormation rewrites it when the instance is replaced, so no stack export
 * changes), and {@code parent-secret}, a SecureString the instance puts at its first boot
 * (user-data.sh) under a KMS key of its own, not the account-wide {@code aws/ssm} key that every
 * principal of the account may decrypt with. The instance's security group gets no rule here: the
 * serverless stack allows its functions' group in, over the VPC peering it makes.
 */
final class FunctionsEndpoint extends Construct {
  /**
   * The parent's port for the functions, bridged to the enclave's coordinator (run-enclave.sh).
   * Below 1024, so only root can listen there: an unprivileged process on the parent cannot take
   * the port and collect the functions' connections (ADR 16's concern, on the VPC side).
   */
  static final int PORT = 730;

  /** What user-data.sh's parent-secret.sh calls on the secret's parameter. */
  static final List<String> INSTANCE_PARAMETER_ACTIONS =
      List.of("ssm:GetParameter", "ssm:PutParameter");

  /** What the instance does with the key, through Parameter Store only. */
  static final List<String> INSTANCE_KEY_ACTIONS =
      List.of("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey");

  private final String path;
  private final Key key;
  private StringParameter address;
  private CoordinatorInstance instance;
  private final IVpc vpc;

  /** The key and the path; {@link #attach} then publishes the instance it is made for. */
  FunctionsEndpoint(Construct scope, String id, IVpc vpc) {
    super(scope, id);
    this.vpc = vpc;
    path = "/pinaivu/" + Stack.of(this).getStackName() + "/";
    key =
        Key.Builder.create(this, "ParentSecretKey")
            .alias("alias/pinaivu-coordinator-parent-secret")
            .description(
                "Pinaivu coordinator: the parent secret in Parameter Store, for the chat functions")
            .enableKeyRotation(true)
            .build();
  }

  /** Publishes the instance's address and lets it keep the parent secret, under this path. */
  void attach(CoordinatorInstance instance) {
    this.instance = instance;
    address =
        StringParameter.Builder.create(this, "Address")
            .parameterName(path + "coordinator-address")
            .description("the coordinator's parent, host:port, for the serverless chat functions")
            .stringValue(
                Fn.join(":", List.of(instance.instance().getInstancePrivateIp(), "" + PORT)))
            .build();
    instance.role().addToPolicy(statement(INSTANCE_PARAMETER_ACTIONS, List.of(secretArn())));
    instance.role().addToPolicy(keyUse(INSTANCE_KEY_ACTIONS));
  }

  /** The parameters' common path, {@code /pinaivu/<coordinator stack>/}. */
  String path() {
    return path;
  }

  /** The SecureString parameter the instance keeps the parent secret in. */
  String secretParameter() {
    return path + "parent-secret";
  }

  IKey key() {
    return key;
  }

  IVpc vpc() {
    return vpc;
  }

  ISecurityGroup securityGroup() {
    return instance.securityGroup();
  }

  /** The route tables of the instance's subnets, which need a route back to the functions. */
  List<String> routeTableIds() {
    return vpc.getIsolatedSubnets().stream()
        .map(ISubnet::getRouteTable)
        .map(table -> table.getRouteTableId())
        .toList();
  }

  /** Lets a function read the address and decrypt the parent secret, and nothing else here. */
  void allowRead(IGrantable function) {
    function
        .getGrantPrincipal()
        .addToPrincipalPolicy(
            statement(
                List.of("ssm:GetParameter"), List.of(address.getParameterArn(), secretArn())));
    function.getGrantPrincipal().addToPrincipalPolicy(keyUse(List.of("kms:Decrypt")));
  }

  private String secretArn() {
    return Stack.of(this)
        .formatArn(
            ArnComponents.builder()
                .service("ssm")
                .resource("parameter")
                .resourceName(secretParameter().substring(1))
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
  }

  private static PolicyStatement statement(List<String> actions, List<String> resources) {
    return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
  }

  private PolicyStatement keyUse(List<String> actions) {
    return PolicyStatement.Builder.create()
        .actions(actions)
        .resources(List.of(key.getKeyArn()))
        .conditions(viaParameterStore())
        .build();
  }

  /** The key serves Parameter Store's calls only, not direct ones. */
  private Map<String, Object> viaParameterStore() {
    return Map.of(
        "StringEquals",
        Map.of("kms:ViaService", "ssm." + Stack.of(this).getRegion() + ".amazonaws.com"));
  }
}
