package dev.pinaivu.infra;

import java.util.List;
import software.amazon.awscdk.services.ec2.CfnRoute;
import software.amazon.awscdk.services.ec2.CfnSecurityGroupIngress;
import software.amazon.awscdk.services.ec2.CfnVPCPeeringConnection;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * The chat functions' network (ADR 37): a VPC of their own, peered with the coordinator's. The
 * functions need the internet (the WebSocket API's public endpoint for their relay connection and
 * its management API, SQS, Secrets Manager, Parameter Store), which the coordinator's VPC must
 * never have (ADR 14): so they sit in private subnets behind one NAT gateway here, and the peering,
 * which AWS never routes onward to a NAT or an internet gateway, gives the coordinator's VPC a path
 * to this VPC's addresses only. The coordinator's security group lets in this group, on {@link
 * FunctionsEndpoint#PORT} only. DynamoDB goes through a gateway endpoint (no NAT charge).
 */
final class FunctionsNetwork extends Construct {
  /** Not the coordinator VPC's (CDK's default, 10.0.0.0/16): peered VPCs may not overlap. */
  static final String CIDR = "10.1.0.0/16";

  private final Vpc vpc;
  private final SecurityGroup securityGroup;
  private final SubnetSelection subnets =
      SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();

  FunctionsNetwork(Construct scope, String id, FunctionsEndpoint coordinator) {
    super(scope, id);
    vpc =
        Vpc.Builder.create(this, "Vpc")
            .ipAddresses(IpAddresses.cidr(CIDR))
            .maxAzs(2) // Lambda spreads over the subnets given; two AZs survive one's outage
            .natGateways(1) // one NAT, ~$33 a month idle: the deployment's largest fixed cost
            .subnetConfiguration(
                List.of(
                    SubnetConfiguration.builder()
                        .name("public")
                        .subnetType(SubnetType.PUBLIC)
                        .cidrMask(24)
                        .build(),
                    SubnetConfiguration.builder()
                        .name("functions")
                        .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                        .cidrMask(20)
                        .build()))
            .build();
    vpc.addGatewayEndpoint(
        "DynamoDb",
        GatewayVpcEndpointOptions.builder()
            .service(GatewayVpcEndpointAwsService.DYNAMODB)
            .subnets(List.of(subnets))
            .build());
    vpc.addFlowLog(
        "FlowLog",
        FlowLogOptions.builder().destination(FlowLogDestination.toCloudWatchLogs()).build());
    securityGroup =
        SecurityGroup.Builder.create(this, "SecurityGroup")
            .vpc(vpc)
            .description("Pinaivu chat functions: out to AWS APIs and the coordinator")
            .allowAllOutbound(true)
            .build();

    // same account and region: CloudFormation's peering is accepted as it is made
    CfnVPCPeeringConnection peering =
        CfnVPCPeeringConnection.Builder.create(this, "CoordinatorPeering")
            .vpcId(vpc.getVpcId())
            .peerVpcId(coordinator.vpc().getVpcId())
            .build();
    int route = 0;
    for (var subnet : vpc.selectSubnets(subnets).getSubnets()) {
      CfnRoute.Builder.create(this, "ToCoordinator" + route++)
          .routeTableId(subnet.getRouteTable().getRouteTableId())
          .destinationCidrBlock(coordinator.vpc().getVpcCidrBlock())
          .vpcPeeringConnectionId(peering.getRef())
          .build();
    }
    route = 0;
    for (String table : coordinator.routeTableIds()) {
      CfnRoute.Builder.create(this, "BackToFunctions" + route++)
          .routeTableId(table)
          .destinationCidrBlock(CIDR)
          .vpcPeeringConnectionId(peering.getRef())
          .build();
    }
    // a rule in this stack, on the coordinator's group: that stack keeps no reference to this one
    CfnSecurityGroupIngress ingress =
        CfnSecurityGroupIngress.Builder.create(this, "CoordinatorFromFunctions")
            .groupId(coordinator.securityGroup().getSecurityGroupId())
            .ipProtocol("tcp")
            .fromPort(FunctionsEndpoint.PORT)
            .toPort(FunctionsEndpoint.PORT)
            .sourceSecurityGroupId(securityGroup.getSecurityGroupId())
            .description("the chat functions, over the peering, to the coordinator's bridge")
            .build();
    ingress.addDependency(peering); // a peer's group is referable once the peering exists
  }

  Vpc vpc() {
    return vpc;
  }

  SecurityGroup securityGroup() {
    return securityGroup;
  }

  SubnetSelection subnets() {
    return subnets;
  }
}
