package dev.pinaivu.core.responses;

import dev.pinaivu.core.chat.ChatCompletionService;
import dev.pinaivu.core.chat.ChatSink;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.openai.ResponsesRequests;

/**
 * Use case {@code POST /v1/responses}: the stateless subset of the Responses API, served as the
 * chat completion it translates to (ADR 33). Keys, limits, routing, money and receipts are the chat
 * completion's; the node gets the client's own bytes (so the receipt's request hash is of them) and
 * translates them itself; the answer is given the Responses form by {@link ResponsesSink}.
 */
public final class ResponsesService {
  private final ChatCompletionService chat;

  public ResponsesService(ChatCompletionService chat) {
    this.chat = chat;
  }

  /**
   * Serves one request into {@code sink}.
   *
   * @throws ApiException for every failure that happens before output started
   */
  public void create(String authorization, byte[] body, ChatSink sink) throws InterruptedException {
    ResponsesSink responses = new ResponsesSink(sink);
    try {
      chat.complete(authorization, body, bytes -> parse(bytes, responses), responses);
    } catch (ApiException e) {
      if (!responses.streamStarted()) {
        throw e; // the entry point answers with its status
      }
      responses.fail(e); // keep-alives started the stream: the failure is told in it (ADR 23)
    }
  }

  private static ChatRequest parse(byte[] bytes, ResponsesSink responses) {
    ResponsesRequests.Parsed parsed = ResponsesRequests.parse(bytes);
    responses.requested(parsed.request());
    return parsed.chat();
  }
}
