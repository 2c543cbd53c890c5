package dev.pinaivu.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The coordinator's AWS deployment (ADR 14): an enclave-enabled EC2 instance in a VPC without
 * internet access that runs the coordinator's Nitro Enclave from a released image and the gateway
 * beside it, the two KMS keys only that image can open, and the table where the gateway keeps the
 * transparency log's leaves.
 */
public final class CoordinatorStack extends Stack {

  /**
   * The state key's alias: the parent seals the parent secret with it, and the enclave image names
   * it (its Dockerfile's PARENT_SECRET_KMS_KEY) to unseal.
   */
  static final String SEAL_KEY_ALIAS = "alias/pinaivu-coordinator-seal";

  private final CoordinatorInstance coordinator;
  private final SealingKey sealKey;
  private final SealingKey identityKey;
  private final LogTable logTable;
  private final FunctionsEndpoint functions;

  public CoordinatorStack(
      Construct scope, String id, StackProps stackProps, CoordinatorProps props) {
    super(scope, id, stackProps);
    CoordinatorNetwork network = new CoordinatorNetwork(this, "Network");
    logTable = new LogTable(this, "TransparencyLog");
    functions = new FunctionsEndpoint(this, "Functions", network.vpc());
    coordinator =
        new CoordinatorInstance(
            this, "Coordinator", network.vpc(), props, logTable.table().getTableName(), functions);
    functions.attach(coordinator);
    logTable.grantLogStore(coordinator.role());
    network.allowHttpsFrom(coordinator.securityGroup());
    sealKey =
        new SealingKey(
            this,
            "SealKey",
            SEAL_KEY_ALIAS,
            "Pinaivu coordinator: state the parent seals and only the measured enclave unseals",
            coordinator.role(),
            props.pinnedPcrs(),
            true);
    identityKey =
        new SealingKey(
            this,
            "IdentityKey",
            "alias/pinaivu-coordinator-identity",
            "Pinaivu coordinator: the sealed identity, generated and opened only in the enclave",
            coordinator.role(),
            props.pinnedPcrs(),
            false);
    // A new release's instance starts only after the policies accept its PCR0.
    coordinator.instance().getNode().addDependency(sealKey, identityKey);
    NagFindings.suppress(this, coordinator);

    output("InstanceId", coordinator.instance().getInstanceId(), "the parent instance");
    output("SealKeyArn", sealKey.key().getKeyArn(), "KMS key for SealedState (parent seals)");
    output(
        "IdentityKeyArn",
        identityKey.key().getKeyArn(),
        "KMS key for the sealed identity: build the image with IDENTITY_KMS_KEY set to it");
    output(
        "IdentityParameter",
        coordinator.identityParameter(),
        "SSM parameter keeping the sealed identity's blob across instances");
    output("LogTableName", logTable.table().getTableName(), "transparency log leaves");
    output(
        "CoordinatorParameters",
        functions.path(),
        "Parameter Store path of the coordinator's address and parent secret, for the chat functions");
    output("PinnedPcr0", props.pcr0(), "PCR0 the key policies accept (compare with pcrs.json)");
  }

  CoordinatorInstance coordinator() {
    return coordinator;
  }

  /** What the serverless stack's chat functions need to reach the coordinator (ADR 37). */
  FunctionsEndpoint functions() {
    return functions;
  }

  LogTable logTable() {
    return logTable;
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }
}
