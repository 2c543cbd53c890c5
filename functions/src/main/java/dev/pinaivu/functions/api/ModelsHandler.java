package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.pinaivu.core.models.ModelCatalog;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}} on Lambda: the models the live nodes of
 * the shared registry serve, as the local gateway lists its own.
 */
public final class ModelsHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  /** The resource's path parameter: {@code /v1/models/{model}}; absent for the list. */
  static final String MODEL = "model";

  private final ModelCatalog models;

  /** What the runtime calls, once per execution environment: clients built from the environment. */
  public ModelsHandler() {
    this(ServerlessNetwork.shared().models());
  }

  ModelsHandler(ModelCatalog models) {
    this.models = models;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    return ApiEvents.serve(
        event,
        id -> {
          String authorization = ApiEvents.header(event, "Authorization");
          String model = ApiEvents.pathParameter(event, MODEL);
          return ApiEvents.json(
              id, model == null ? models.list(authorization) : models.get(authorization, model));
        });
  }
}
