package dev.pinaivu.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The one HTTP handler: records every request, routes it, maps errors to OpenAI error bodies, and
 * turns each ending into a {@link RequestOutcome}.
 */
final class Router implements HttpHandler {

  private static final System.Logger LOG = System.getLogger(FakeOpenAiServer.class.getName());
  private static final String MODELS = "/v1/models";

  private final ModelCatalog models;
  private final ChatCompletions chat;
  private final RequestLog log;
  private final String apiKey;
  private final CountDownLatch closed;

  Router(
      ModelCatalog models,
      ChatCompletions chat,
      RequestLog log,
      String apiKey,
      CountDownLatch closed) {
    this.models = models;
    this.chat = chat;
    this.log = log;
    this.apiKey = apiKey;
    this.closed = closed;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    RecordedRequest request = RecordedRequest.read(exchange);
    log.started(request);
    RequestOutcome outcome = respond(exchange, request);
    log.finished(request, outcome);
    if (!outcome.endsResponse()) {
      // the JDK server closes the socket without ending the chunked body: a truncated response
      throw new ConnectionAbort();
    }
    exchange.close();
  }

  private RequestOutcome respond(HttpExchange exchange, RecordedRequest request) {
    try {
      return route(exchange, request);
    } catch (OpenAiError error) {
      return sendError(exchange, error);
    } catch (IOException e) {
      return writeFailure();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RequestOutcome.SERVER_CLOSED;
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "fake server failed on " + request, e);
      return sendError(exchange, OpenAiError.internal());
    }
  }

  private RequestOutcome route(HttpExchange exchange, RecordedRequest request)
      throws IOException, InterruptedException {
    String method = request.method();
    String path = request.path();
    if ("GET".equals(method) && "/health".equals(path)) {
      return sendJson(exchange, 200, new byte[0]);
    }
    authorize(request);
    if (request.isChatCompletion()) {
      return chat.answer(exchange, request);
    }
    if ("GET".equals(method) && MODELS.equals(path)) {
      return sendJson(exchange, 200, models.list());
    }
    if ("GET".equals(method) && path.startsWith(MODELS + "/")) {
      String id = URLDecoder.decode(path.substring(MODELS.length() + 1), StandardCharsets.UTF_8);
      return sendJson(exchange, 200, models.entry(id));
    }
    throw new OpenAiError(
        404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
  }

  private void authorize(RecordedRequest request) {
    if (apiKey != null && !("Bearer " + apiKey).equals(request.header("Authorization"))) {
      throw new OpenAiError(
          401, "Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key");
    }
  }

  private RequestOutcome sendError(HttpExchange exchange, OpenAiError error) {
    try {
      Responses.json(exchange, error.status, error.body());
      return RequestOutcome.ERROR_STATUS;
    } catch (IOException e) {
      return writeFailure();
    }
  }

  private static RequestOutcome sendJson(HttpExchange exchange, int status, byte[] body)
      throws IOException {
    Responses.json(exchange, status, body);
    return RequestOutcome.COMPLETED;
  }

  /** A write failed: the client went away, unless the server is closing its connections. */
  private RequestOutcome writeFailure() {
    return closed.getCount() == 0
        ? RequestOutcome.SERVER_CLOSED
        : RequestOutcome.CLIENT_DISCONNECTED;
  }

  /** Thrown out of the handler to make the JDK server drop the connection. */
  private static final class ConnectionAbort extends RuntimeException {
    ConnectionAbort() {
      super("connection closed on purpose", null, false, false);
    }
  }
}
