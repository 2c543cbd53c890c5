package dev.pinaivu.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.pinaivu.core.json.Json;

/** Text frames to {@link Frame} records and back. */
public final class FrameCodec {
  private FrameCodec() {}

  public static String encode(Frame frame) {
    return Json.text(frame);
  }

  public static Frame decode(String text) throws ProtocolException {
    if (text == null || text.isEmpty()) {
      throw new ProtocolException("empty frame");
    }
    try {
      return Json.MAPPER.readValue(text, Frame.class);
    } catch (JsonMappingException e) {
      throw new ProtocolException("malformed frame: " + rootMessage(e), e);
    } catch (JsonProcessingException e) {
      throw new ProtocolException("frame is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message =
        t instanceof JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }
}
