package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pinaivu.functions.testsupport.SampleEvents;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample events in the repository's {@code events/}, loaded as the Lambda runtime deserialises
 * them, and the variants a test needs (another key, no key, another path parameter) made from them
 * instead of copied JSON.
 */
final class ApiEvent {
  private final APIGatewayProxyRequestEvent event;

  private ApiEvent(APIGatewayProxyRequestEvent event) {
    this.event = event;
  }

  /** {@code events/<name>}, e.g. {@code api/get-usage.json}. */
  static ApiEvent load(String name) {
    return new ApiEvent(EventLoader.loadApiGatewayRestEvent(SampleEvents.path(name)));
  }

  /** With {@code Authorization: Bearer <key>}, in both header maps as API Gateway sends them. */
  ApiEvent key(String key) {
    return header("Authorization", "Bearer " + key);
  }

  /** Without an {@code Authorization} header. */
  ApiEvent noKey() {
    return header("Authorization", null);
  }

  ApiEvent header(String name, String value) {
    Map<String, String> headers = new HashMap<>(orEmpty(event.getHeaders()));
    Map<String, List<String>> multi = new HashMap<>(orEmpty(event.getMultiValueHeaders()));
    headers.keySet().removeIf(h -> h.equalsIgnoreCase(name));
    multi.keySet().removeIf(h -> h.equalsIgnoreCase(name));
    if (value != null) {
      headers.put(name, value);
      multi.put(name, List.of(value));
    }
    event.setHeaders(headers);
    event.setMultiValueHeaders(multi);
    return this;
  }

  ApiEvent pathParameter(String name, String value) {
    Map<String, String> params = new HashMap<>(orEmpty(event.getPathParameters()));
    params.put(name, value);
    event.setPathParameters(params);
    return this;
  }

  /** The same event on another route: {@code resource} is the template, e.g. {@code /a/{id}}. */
  ApiEvent route(String method, String resource, String path) {
    event.setHttpMethod(method);
    event.setResource(resource);
    event.setPath(path);
    if (event.getRequestContext() != null) {
      event.getRequestContext().setHttpMethod(method);
      event.getRequestContext().setResourcePath(resource);
    }
    return this;
  }

  /** With {@code body} as the request's body, as text; null for none. */
  ApiEvent body(String body) {
    event.setBody(body);
    event.setIsBase64Encoded(false);
    return this;
  }

  /** With {@code base64} as the body, marked base64-encoded as API Gateway marks binary bodies. */
  ApiEvent base64Body(String base64) {
    event.setBody(base64);
    event.setIsBase64Encoded(true);
    return this;
  }

  /** Without the caller's IAM identity: what a method left unauthorized would deliver. */
  ApiEvent noIamIdentity() {
    event.getRequestContext().getIdentity().setUserArn(null);
    event.getRequestContext().getIdentity().setAccessKey(null);
    event.getRequestContext().getIdentity().setCaller(null);
    return this;
  }

  APIGatewayProxyRequestEvent event() {
    return event;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
