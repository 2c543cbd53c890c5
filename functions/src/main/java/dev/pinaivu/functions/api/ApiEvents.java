package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorResponses;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An API Gateway REST proxy event in, a proxy response out, for every handler alike: headers read
 * as HTTP reads them (any case), the request's {@code request_id} at the top of every JSON object
 * answered and in {@code x-request-id}, and errors as the local gateway answers them (one mapping,
 * {@link ErrorResponses}: same status, same OpenAI error body).
 */
final class ApiEvents {
  private static final Logger log = LoggerFactory.getLogger(ApiEvents.class);

  private ApiEvents() {}

  /** What a handler answers, given the request's id; throws {@link ApiException} to refuse. */
  @FunctionalInterface
  interface Answer {
    APIGatewayProxyResponseEvent answer(RequestId id) throws Exception;
  }

  /** Runs {@code answer} under a new request id, mapping every failure to its response. */
  static APIGatewayProxyResponseEvent serve(APIGatewayProxyRequestEvent event, Answer answer) {
    RequestId id = RequestId.next();
    try {
      return answer.answer(id);
    } catch (ApiException e) {
      return error(e, id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(ErrorResponses.internal(), id);
    } catch (Exception e) {
      log.error("{} unexpected failure on {} {}", id, event.getHttpMethod(), event.getPath(), e);
      return error(ErrorResponses.internal(), id);
    }
  }

  /** The value of header {@code name}, whatever its case; null when absent. */
  static String header(APIGatewayProxyRequestEvent event, String name) {
    Map<String, String> headers = event.getHeaders();
    if (headers != null) {
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue();
        }
      }
    }
    Map<String, List<String>> multi = event.getMultiValueHeaders();
    if (multi != null) {
      for (Map.Entry<String, List<String>> h : multi.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name) && h.getValue() != null && !h.getValue().isEmpty()) {
          return h.getValue().getFirst();
        }
      }
    }
    return null;
  }

  /** Every query parameter with all its values (API Gateway's multi-value map when it sent one). */
  static Map<String, List<String>> query(APIGatewayProxyRequestEvent event) {
    Map<String, List<String>> out = new HashMap<>();
    if (event.getMultiValueQueryStringParameters() != null) {
      out.putAll(event.getMultiValueQueryStringParameters());
    } else if (event.getQueryStringParameters() != null) {
      event.getQueryStringParameters().forEach((k, v) -> out.put(k, List.of(v)));
    }
    return out;
  }

  /** The path parameter {@code name}; null when absent. */
  static String pathParameter(APIGatewayProxyRequestEvent event, String name) {
    Map<String, String> params = event.getPathParameters();
    return params == null ? null : params.get(name);
  }

  /** 200 with {@code body} as JSON, {@code request_id} added to it when it is an object. */
  static APIGatewayProxyResponseEvent json(RequestId id, Object body) {
    JsonNode tree = body instanceof JsonNode node ? node : Json.MAPPER.valueToTree(body);
    if (tree instanceof ObjectNode object && !object.has("request_id")) {
      object.put("request_id", id.value());
    }
    return respond(id, 200, Json.bytes(tree), Map.of());
  }

  /** {@code response} with another status (201 for something made). */
  static APIGatewayProxyResponseEvent withStatus(
      int status, APIGatewayProxyResponseEvent response) {
    return response.withStatusCode(status);
  }

  /** 200 with a signed document exactly as it is (a receipt carries its own request id). */
  static APIGatewayProxyResponseEvent signed(RequestId id, byte[] json) {
    return respond(id, 200, json, Map.of());
  }

  /** 200 with a signed note as text (the log's checkpoint), exactly as signed. */
  static APIGatewayProxyResponseEvent note(RequestId id, String text) {
    APIGatewayProxyResponseEvent response =
        respond(id, 200, text.getBytes(StandardCharsets.UTF_8), Map.of());
    response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
    return response;
  }

  static APIGatewayProxyResponseEvent error(ApiException e, RequestId id) {
    ObjectNode body = ErrorResponses.body(e);
    body.put("request_id", id.value());
    return respond(id, ErrorResponses.status(e.kind()), Json.bytes(body), e.headers());
  }

  private static APIGatewayProxyResponseEvent respond(
      RequestId id, int status, byte[] body, Map<String, String> more) {
    Map<String, String> headers = new HashMap<>(more);
    headers.put("Content-Type", "application/json");
    headers.put("x-request-id", id.value());
    headers.put("Cache-Control", "no-store");
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(status)
        .withHeaders(headers)
        .withIsBase64Encoded(false)
        .withBody(new String(body, StandardCharsets.UTF_8));
  }
}
