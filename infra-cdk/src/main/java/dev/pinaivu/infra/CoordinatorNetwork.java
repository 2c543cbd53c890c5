package dev.pinaivu.infra;

import java.util.List;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IInterfaceVpcEndpointService;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * A VPC with no internet path at all: isolated subnets, no NAT, no internet gateway. The parent
 * instance reaches AWS only through VPC endpoints: KMS (the enclave's calls, via vsock-proxy),
 * Session Manager (ssm, ssmmessages, ec2messages: shell access without SSH), and the S3 and
 * DynamoDB gateways (asset download, package repositories, transparency log). One AZ: the
 * coordinator is a single instance, and every interface endpoint is billed per AZ.
 */
final class CoordinatorNetwork extends Construct {

  private final Vpc vpc;
  private final SecurityGroup endpointSecurityGroup;

  CoordinatorNetwork(Construct scope, String id) {
    super(scope, id);
    SubnetSelection isolated =
        SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
    vpc =
        Vpc.Builder.create(this, "Vpc")
            .maxAzs(1)
            .natGateways(0)
            .subnetConfiguration(
                List.of(
                    SubnetConfiguration.builder()
                        .name("isolated")
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .cidrMask(24)
                        .build()))
            .build();
    // The interface endpoints answer HTTPS from the coordinator instance only (allowHttpsFrom),
    // not from the whole VPC as CDK's default group would.
    endpointSecurityGroup =
        SecurityGroup.Builder.create(this, "EndpointSecurityGroup")
            .vpc(vpc)
            .description("VPC interface endpoints: HTTPS from the coordinator instance only")
            .allowAllOutbound(false)
            .build();
    vpc.addGatewayEndpoint(
        "S3",
        GatewayVpcEndpointOptions.builder()
            .service(GatewayVpcEndpointAwsService.S3)
            .subnets(List.of(isolated))
            .build());
    vpc.addGatewayEndpoint(
        "DynamoDb",
        GatewayVpcEndpointOptions.builder()
            .service(GatewayVpcEndpointAwsService.DYNAMODB)
            .subnets(List.of(isolated))
            .build());
    // private DNS: kms.REGION.amazonaws.com resolves to the endpoint, so run-enclave.sh's
    // vsock-proxy needs no other name
    interfaceEndpoint("Kms", InterfaceVpcEndpointAwsService.KMS, isolated);
    interfaceEndpoint("Ssm", InterfaceVpcEndpointAwsService.SSM, isolated);
    interfaceEndpoint("SsmMessages", InterfaceVpcEndpointAwsService.SSM_MESSAGES, isolated);
    interfaceEndpoint("Ec2Messages", InterfaceVpcEndpointAwsService.EC2_MESSAGES, isolated);
    vpc.addFlowLog(
        "FlowLog",
        FlowLogOptions.builder().destination(FlowLogDestination.toCloudWatchLogs()).build());
  }

  Vpc vpc() {
    return vpc;
  }

  void allowHttpsFrom(ISecurityGroup client) {
    endpointSecurityGroup.addIngressRule(client, Port.tcp(443), "HTTPS to the AWS APIs");
  }

  private void interfaceEndpoint(
      String id, IInterfaceVpcEndpointService service, SubnetSelection subnets) {
    vpc.addInterfaceEndpoint(
        id,
        InterfaceVpcEndpointOptions.builder()
            .service(service)
            .privateDnsEnabled(true)
            .subnets(subnets)
            .open(false)
            .securityGroups(List.of(endpointSecurityGroup))
            .build());
  }
}
