package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.admin.OperatorAdmin;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.id.RequestId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's {@code /admin/v1} API on Lambda (ADR 38): issue, list and revoke keys, read and
 * credit accounts, the same use cases ({@link OperatorAdmin}) and the same answers as the local
 * gateway's bearer-token routes. On AWS every method is {@code AWS_IAM}-authorized: API Gateway
 * checks the caller's Signature Version 4 and its {@code execute-api:Invoke} permission before this
 * runs. The handler does not trust the deployment to have done so: an event without the caller's
 * IAM identity (a method left open by mistake) is refused, and every call is logged with the
 * caller's ARN and never with a body (a new key's secret is in the answer).
 */
public final class AdminHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

  private final OperatorAdmin admin;

  /** What the runtime calls, once per execution environment: clients built from the environment. */
  public AdminHandler() {
    this(ServerlessNetwork.shared().admin());
  }

  AdminHandler(OperatorAdmin admin) {
    this.admin = admin;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    return ApiEvents.serve(event, id -> answer(event, id));
  }

  private APIGatewayProxyResponseEvent answer(APIGatewayProxyRequestEvent event, RequestId id) {
    String caller = caller(event);
    String route = event.getHttpMethod() + " " + event.getResource();
    log.info("{} admin {} by {}", id, route, caller);
    return switch (route) {
      case "POST /admin/v1/keys" ->
          ApiEvents.withStatus(201, ApiEvents.json(id, admin.createKey(body(event))));
      case "GET /admin/v1/keys" -> ApiEvents.json(id, admin.listKeys());
      case "DELETE /admin/v1/keys/{id}" ->
          ApiEvents.json(id, admin.revokeKey(ApiEvents.pathParameter(event, "id")));
      case "GET /admin/v1/accounts/{id}" ->
          ApiEvents.json(id, admin.account(ApiEvents.pathParameter(event, "id")));
      case "POST /admin/v1/accounts/{id}/credit" ->
          ApiEvents.json(id, admin.credit(ApiEvents.pathParameter(event, "id"), body(event)));
      default ->
          throw new ApiException(
              ErrorKind.NOT_FOUND,
              "No admin route " + route + ".",
              null,
              "unknown_url"); // the deployment routes only the five above here
    };
  }

  /**
   * The IAM principal API Gateway authorized ({@code requestContext.identity.userArn}).
   *
   * @throws ApiException 401 when the event carries none: the method is not IAM-authorized
   */
  static String caller(APIGatewayProxyRequestEvent event) {
    APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
    String arn =
        context == null || context.getIdentity() == null
            ? null
            : context.getIdentity().getUserArn();
    if (arn == null || arn.isBlank()) {
      throw new ApiException(
          ErrorKind.AUTHENTICATION,
          "The admin API takes requests signed with AWS Signature Version 4 by an IAM principal "
              + "allowed to call it; this request carried no IAM identity.",
          null,
          "iam_identity_missing");
    }
    return arn;
  }

  private static JsonNode body(APIGatewayProxyRequestEvent event) {
    String body = event.getBody() == null ? "" : event.getBody();
    if (!Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      return OperatorAdmin.parseBody(body.getBytes(StandardCharsets.UTF_8));
    }
    try {
      return OperatorAdmin.parseBody(Base64.getDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          ErrorKind.UNPARSEABLE_BODY,
          "The request body is not valid base64.",
          null,
          "invalid_json");
    }
  }
}
