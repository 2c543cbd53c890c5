package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.pinaivu.core.usage.AccountQueries;

/** {@code GET /v1/attestation} on Lambda: public, the keys receipts are signed with. */
public final class AttestationHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private final AccountQueries queries;

  /** What the runtime calls, once per execution environment: clients built from the environment. */
  public AttestationHandler() {
    this(ServerlessNetwork.shared().accountQueries());
  }

  AttestationHandler(AccountQueries queries) {
    this.queries = queries;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    return ApiEvents.serve(event, id -> ApiEvents.json(id, queries.attestation()));
  }
}
