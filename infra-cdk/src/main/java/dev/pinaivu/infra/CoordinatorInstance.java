package dev.pinaivu.infra;

import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * The enclave-enabled parent instance: Amazon Linux 2023, IMDSv2 only, an encrypted root volume, no
 * SSH key and no inbound rule of its own (the coordinator's port is loopback-only, but for the
 * serverless chat functions' port, which only their stack's rule lets them reach, ADR 37; operators
 * use Session Manager). Its first boot fetches the enclave image, run script and gateway from the
 * stack's assets and starts the enclave and the gateway (loopback only) as systemd services
 * (user-data.sh).
 */
final class CoordinatorInstance extends Construct {

  private final Role role;
  private final SecurityGroup securityGroup;
  private final Instance instance;
  private final String identityParameter;
  private final Asset gateway;

  /**
   * @param logTableName the table the gateway keeps the log's leaves in (a token)
   * @param functions where the instance keeps the parent secret for the chat functions (ADR 37)
   */
  CoordinatorInstance(
      Construct scope,
      String id,
      IVpc vpc,
      CoordinatorProps props,
      String logTableName,
      FunctionsEndpoint functions) {
    super(scope, id);
    role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
            .description("The coordinator's parent instance (and, through it, the enclave)")
            .build();
    Asset eif = Asset.Builder.create(this, "EnclaveImage").path(props.eifPath().toString()).build();
    Asset runScript =
        Asset.Builder.create(this, "RunScript").path(props.runScript().toString()).build();
    gateway = GatewayDistribution.asset(this, "Gateway", props.gatewayJar());
    // Asset.grantRead would open the whole bootstrap bucket (every asset of the account); the
    // instance needs these three objects only.
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("s3:GetObject"))
            .resources(
                List.of(
                    eif.getBucket().arnForObjects(eif.getS3ObjectKey()),
                    runScript.getBucket().arnForObjects(runScript.getS3ObjectKey()),
                    gateway.getBucket().arnForObjects(gateway.getS3ObjectKey())))
            .build());

    // The sealed identity's blob, kept across instance replacements (user-data.sh).
    identityParameter = "/pinaivu/" + Stack.of(this).getStackName() + "/coordinator-identity";
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("ssm:GetParameter", "ssm:PutParameter"))
            .resources(
                List.of(
                    Stack.of(this)
                        .formatArn(
                            ArnComponents.builder()
                                .service("ssm")
                                .resource("parameter")
                                .resourceName(identityParameter.substring(1))
                                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                                .build())))
            .build());

    securityGroup =
        SecurityGroup.Builder.create(this, "SecurityGroup")
            .vpc(vpc)
            .description(
                "Coordinator parent: inbound only from the chat functions (their stack's rule)")
            .allowAllOutbound(true)
            .build();

    String userData =
        CoordinatorUserData.render(
            Stack.of(this).getRegion(),
            eif.getS3ObjectUrl(),
            runScript.getS3ObjectUrl(),
            gateway.getS3ObjectUrl(),
            identityParameter,
            props.enclaveCpus(),
            props.enclaveMemoryMib(),
            logTableName,
            props.logOrigin(),
            CoordinatorStack.SEAL_KEY_ALIAS,
            functions.secretParameter(),
            functions.key().getKeyArn());
    instance =
        Instance.Builder.create(this, "Instance")
            .vpc(vpc)
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
            .instanceType(new InstanceType(props.instanceType()))
            .machineImage(MachineImage.latestAmazonLinux2023())
            .role(role)
            .securityGroup(securityGroup)
            .enclaveEnabled(true)
            .requireImdsv2(true)
            .ssmSessionPermissions(true)
            .detailedMonitoring(true)
            .blockDevices(
                List.of(
                    BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(
                            BlockDeviceVolume.ebs(
                                30,
                                EbsDeviceOptions.builder()
                                    .encrypted(true)
                                    .volumeType(EbsDeviceVolumeType.GP3)
                                    .build()))
                        .build()))
            .userData(UserData.custom(userData))
            // a new image, script or gateway is a new instance; the old one's enclave stops with it
            .userDataCausesReplacement(true)
            .build();
    // The aspect behind requireImdsv2 adds the launch template on its first pass and warns on a
    // later one that the instance has one already; the template requires IMDSv2 (tested).
    Annotations.of(this)
        .acknowledgeWarning(
            "@aws-cdk/aws-ec2:imdsv2RequireImdsv2Aspect",
            "the instance's launch template, made by this aspect, requires IMDSv2");
  }

  Role role() {
    return role;
  }

  SecurityGroup securityGroup() {
    return securityGroup;
  }

  Instance instance() {
    return instance;
  }

  String identityParameter() {
    return identityParameter;
  }

  Asset gateway() {
    return gateway;
  }
}
