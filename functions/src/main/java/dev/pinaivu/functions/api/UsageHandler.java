package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.pinaivu.core.usage.AccountQueries;

/** {@code GET /v1/usage} on Lambda: the same use case as the local gateway's route. */
public final class UsageHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private final AccountQueries queries;

  /** What the runtime calls, once per execution environment: clients built from the environment. */
  public UsageHandler() {
    this(ServerlessNetwork.shared().accountQueries());
  }

  UsageHandler(AccountQueries queries) {
    this.queries = queries;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    return ApiEvents.serve(
        event,
        id ->
            ApiEvents.json(
                id,
                queries.usage(ApiEvents.header(event, "Authorization"), ApiEvents.query(event))));
  }
}
