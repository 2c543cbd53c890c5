package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.translog.LogQueries;
import java.util.List;
import java.util.Map;

/**
 * The public transparency-log routes on Lambda (docs/transparency-log.md §11), no API key, as the
 * local gateway serves them: {@code /v1/log/checkpoint} (the signed note, as text), {@code
 * /v1/log/proof/inclusion}, {@code /v1/log/proof/consistency} and {@code /v1/log/entries/{index}}.
 * One function for the four resources; proofs and entries are served as computed, without a {@code
 * request_id} in them (also as locally), which {@code x-request-id} carries.
 */
public final class LogHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  /** The entry resource's path parameter: {@code /v1/log/entries/{index}}. */
  static final String INDEX = "index";

  private final LogQueries log;

  /** What the runtime calls, once per execution environment: clients built from the environment. */
  public LogHandler() {
    this(ServerlessNetwork.shared().log());
  }

  LogHandler(LogQueries log) {
    this.log = log;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    return ApiEvents.serve(
        event,
        id -> {
          Map<String, List<String>> query = ApiEvents.query(event);
          String resource = event.getResource() == null ? "" : event.getResource();
          return switch (resource) {
            case "/v1/log/checkpoint" -> ApiEvents.note(id, log.checkpoint());
            case "/v1/log/proof/inclusion" ->
                ApiEvents.signed(
                    id,
                    Json.bytes(log.inclusion(first(query, "index"), first(query, "tree_size"))));
            case "/v1/log/proof/consistency" ->
                ApiEvents.signed(
                    id, Json.bytes(log.consistency(first(query, "first"), first(query, "second"))));
            case "/v1/log/entries/{index}" ->
                ApiEvents.signed(id, Json.bytes(log.entry(ApiEvents.pathParameter(event, INDEX))));
            default ->
                throw ApiException.notFound("Unknown request URL: GET " + event.getPath() + ".");
          };
        });
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }
}
