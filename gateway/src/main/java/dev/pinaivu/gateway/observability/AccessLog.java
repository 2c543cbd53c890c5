package dev.pinaivu.gateway.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request on the logger {@value #LOGGER}, a JSON object with fixed members:
 * request_id, method, route (the template), status, model, stream, key_id, duration_ms, ttft_ms,
 * node_id, attempts. It never holds a key, a token, a header, a query string or any content.
 */
public final class AccessLog {
  public static final String LOGGER = "pinaivu.access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  void record(RequestRecord r) {
    if (log.isInfoEnabled()) {
      log.info(line(r));
    }
  }

  static String line(RequestRecord r) {
    ObjectNode o = Json.object();
    o.put("request_id", r.requestId());
    o.put("method", r.method());
    o.put("route", r.route());
    o.put("status", r.status());
    o.put("model", r.model());
    if (r.stream() == null) {
      o.putNull("stream");
    } else {
      o.put("stream", r.stream());
    }
    o.put("key_id", r.keyId());
    o.put("duration_ms", tenths(r.durationMs()));
    if (r.ttftMs() == null) {
      o.putNull("ttft_ms");
    } else {
      o.put("ttft_ms", tenths(r.ttftMs()));
    }
    o.put("node_id", r.nodeId());
    o.put("attempts", r.attempts());
    return Json.text(o);
  }

  private static double tenths(double ms) {
    return Math.round(ms * 10) / 10.0;
  }
}
