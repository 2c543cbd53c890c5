package dev.pinaivu.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.text.UnicodeText;

/** Text frames to {@link Frame} records and back. */
public final class FrameCodec {
  private FrameCodec() {}

  /**
   * The frame as one line of JSON text.
   *
   * @throws UnencodableFrameException when it holds text that is not valid Unicode: such a frame
   *     must fail its own job, not the connection it would have been sent on
   */
  public static String encode(Frame frame) {
    String text = Json.text(frame);
    if (!UnicodeText.isWellFormed(text)) {
      throw new UnencodableFrameException(frame.getClass().getSimpleName());
    }
    return text;
  }

  /** Decodes one message: one frame, or several separated by line feeds. */
  public static java.util.List<Frame> decodeMessage(String message) throws ProtocolException {
    if (message.indexOf('\n') < 0) {
      return java.util.List.of(decode(message));
    }
    java.util.List<Frame> frames = new java.util.ArrayList<>();
    for (String line : message.split("\n")) {
      if (!line.isBlank()) {
        frames.add(decode(line));
      }
    }
    if (frames.isEmpty()) {
      throw new ProtocolException("empty frame");
    }
    return frames;
  }

  /** The frames of one message as text: its non-blank lines. */
  public static java.util.List<String> lines(String message) {
    if (message.indexOf('\n') < 0) {
      return java.util.List.of(message);
    }
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (String line : message.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
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
