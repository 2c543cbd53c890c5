package dev.pinaivu.core.openai;

/**
 * Which OpenAI API a client called. A node always runs a chat completion on its inference server; a
 * Responses request reaches it exactly as the client sent it (so that the dispatch token's request
 * hash is the client's own bytes) and the node translates it with {@link ResponsesRequests#toChat}
 * before it runs (ADR 33).
 */
public enum ApiKind {
  /** {@code POST /v1/chat/completions}. */
  CHAT("chat"),
  /** {@code POST /v1/responses}, its stateless subset. */
  RESPONSES("responses");

  private final String wire;

  ApiKind(String wire) {
    this.wire = wire;
  }

  /** The name in the node protocol's job frame ({@code api}). */
  public String wire() {
    return wire;
  }

  /** The kind a job frame's {@code api} names; absent (older gateways) means chat. */
  public static ApiKind fromWire(String wire) {
    if (wire == null || wire.equals(CHAT.wire)) {
      return CHAT;
    }
    if (wire.equals(RESPONSES.wire)) {
      return RESPONSES;
    }
    throw new IllegalArgumentException("unknown api '" + wire + "'");
  }
}
