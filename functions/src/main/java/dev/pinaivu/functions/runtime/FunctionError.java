package dev.pinaivu.functions.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;

/**
 * An error told to the Runtime API: its type ({@code Category.Reason}, the header {@code
 * Lambda-Runtime-Function-Error-Type}) and the JSON body Lambda shows for it.
 *
 * @param type e.g. {@code Function.Unhandled}
 * @param errorType the body's {@code errorType}: the exception's class
 * @param message the body's {@code errorMessage}
 */
public record FunctionError(String type, String errorType, String message) {
  /** A handler's exception. */
  public static FunctionError of(String type, Throwable e) {
    return new FunctionError(type, e.getClass().getName(), String.valueOf(e.getMessage()));
  }

  /** {@code {"errorMessage": ..., "errorType": ...}}, as the managed runtimes report errors. */
  public byte[] body() {
    ObjectNode body = Json.object();
    body.put("errorMessage", message);
    body.put("errorType", errorType);
    return Json.bytes(body);
  }
}
