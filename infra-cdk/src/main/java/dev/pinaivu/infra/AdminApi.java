package dev.pinaivu.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The operator's {@code /admin/v1} routes on the REST API (ADR 38): one function ({@code
 * AdminHandler}) behind five methods, each {@code AWS_IAM}-authorized, so that only a principal
 * allowed {@code execute-api:Invoke} on them, by the managed policy made here or its own, gets
 * through. The function may write keys and credits to the network table and nothing else.
 */
final class AdminApi {
  /** What the admin function's adapters call: keys (issue, list, revoke), credits, balances. */
  static final List<String> ADMIN_ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:Query",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:TransactWriteItems");

  private final ManagedPolicy operatorPolicy;

  AdminApi(
      Construct scope,
      ServerlessFunctions functions,
      RestApi api,
      String stage,
      Map<String, String> environment) {
    Function fn =
        functions.function(
            "AdminHandler", ServerlessFunctions.HANDLERS + "AdminHandler", environment);
    functions.allow(fn, ADMIN_ACTIONS);
    LambdaIntegration integration = new LambdaIntegration(fn);
    MethodOptions iam = MethodOptions.builder().authorizationType(AuthorizationType.IAM).build();
    Resource admin = api.getRoot().addResource("admin").addResource("v1");
    Resource keys = admin.addResource("keys");
    keys.addMethod("POST", integration, iam);
    keys.addMethod("GET", integration, iam);
    keys.addResource("{id}").addMethod("DELETE", integration, iam);
    Resource account = admin.addResource("accounts").addResource("{id}");
    account.addMethod("GET", integration, iam);
    account.addResource("credit").addMethod("POST", integration, iam);
    operatorPolicy =
        ManagedPolicy.Builder.create(scope, "OperatorPolicy")
            .description("Calls Pinaivu's admin API (/admin/v1): keys, credits, balances")
            .statements(
                List.of(
                    PolicyStatement.Builder.create()
                        .actions(List.of("execute-api:Invoke"))
                        .resources(List.of(api.arnForExecuteApi("*", "/admin/v1/*", stage)))
                        .build()))
            .build();
  }

  /** The policy an operator's role or user is given to call the admin API. */
  ManagedPolicy operatorPolicy() {
    return operatorPolicy;
  }
}
