package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.pinaivu.core.usage.AccountQueries;

/**
 * {@code GET /v1/receipts/{request_id}} on Lambda: the signed receipt exactly as stored, with the
 * transparency log's proof when the deployment names its log.
 */
public final class ReceiptHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  /** The resource's path parameter: {@code /v1/receipts/{request_id}}. */
  static final String ID = "request_id";

  private final AccountQueries queries;

  /** What the runtime calls, once per execution environment: clients built from the environment. */
  public ReceiptHandler() {
    this(ServerlessNetwork.shared().accountQueries());
  }

  ReceiptHandler(AccountQueries queries) {
    this.queries = queries;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    return ApiEvents.serve(
        event,
        id ->
            ApiEvents.signed(
                id,
                queries.receipt(
                    ApiEvents.header(event, "Authorization"), ApiEvents.pathParameter(event, ID))));
  }
}
