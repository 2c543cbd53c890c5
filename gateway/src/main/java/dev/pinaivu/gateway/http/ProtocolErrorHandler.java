package dev.pinaivu.gateway.http;

import dev.pinaivu.core.json.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to what it refuses before any route runs: a bad request line, a URI or headers too
 * long, a bad {@code Content-Length} or {@code Transfer-Encoding}, broken chunking. Instead of
 * Jetty's HTML page it sends the OpenAI error body, made by {@link ErrorMapper}, with Jetty's 4xx.
 */
public final class ProtocolErrorHandler implements Request.Handler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String reason = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException http) {
      status = http.getCode();
      reason = reason == null ? http.getReason() : reason;
    }
    int answered = ErrorMapper.protocolStatus(status);
    response.setStatus(answered);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (HttpMethod.HEAD.is(request.getMethod()) || HttpStatus.hasNoBody(answered)) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    byte[] body = Json.bytes(ErrorMapper.protocolBody(answered, reason));
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
