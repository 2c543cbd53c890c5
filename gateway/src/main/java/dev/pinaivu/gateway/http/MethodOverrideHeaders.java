package dev.pinaivu.gateway.http;

import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Removes the method-override headers from every request before any route sees it. Javalin takes
 * {@code X-HTTP-Method-Override} as the request's method, so a GET (which a page can make a browser
 * send, and which caches and logs treat as harmless) could run a DELETE route. Pinaivu's clients
 * send the real method.
 */
public final class MethodOverrideHeaders implements HttpConfiguration.Customizer {
  static final List<String> NAMES =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    HttpFields headers = request.getHeaders();
    if (NAMES.stream().noneMatch(headers::contains)) {
      return request;
    }
    HttpFields.Mutable kept = HttpFields.build(headers);
    NAMES.forEach(kept::remove);
    HttpFields without = kept.asImmutable();
    return new Request.Wrapper(request) {
      @Override
      public HttpFields getHeaders() {
        return without;
      }
    };
  }
}
