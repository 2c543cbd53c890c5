package dev.pinaivu.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.ChatRequestParser;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.UnencodableFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnicodeTextTest {
  @Test
  void pairedSurrogates_areWellFormed_andLoneOnesAreNot() {
    assertThat(UnicodeText.isWellFormed("emoji \ud83d\ude00 ok")).isTrue();
    assertThat(UnicodeText.isWellFormed("\ud800x")).isFalse();
    assertThat(UnicodeText.isWellFormed("x\udc00")).isFalse();
    assertThat(UnicodeText.isWellFormed("end \ud800")).isFalse();
  }

  @Test
  void firstIllFormed_namesTheParameter() throws Exception {
    var body =
        Json.parse(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"ok\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\\ud800x\"}]}]}");

    assertThat(UnicodeText.firstIllFormed(body, "")).isEqualTo("messages[1].content[0].text");
  }

  @Test
  void requestWithALoneSurrogate_isA400NamingIt() {
    byte[] body =
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800x\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ChatRequestParser.parse(body))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.param()).isEqualTo("messages[0].content");
              assertThat(e.kind().type()).isEqualTo("invalid_request_error");
            });
  }

  @Test
  void frameHoldingALoneSurrogate_isRefusedBeforeItReachesAConnection() {
    Frame chunk = new Frame.Chunk("req_x", 0, Json.object().put("content", "bad \ud800"));

    assertThatThrownBy(() -> FrameCodec.encode(chunk))
        .isInstanceOf(UnencodableFrameException.class);
  }

  @Test
  void jobAcceptAndRefuse_roundTrip() throws Exception {
    String accept = FrameCodec.encode(new Frame.JobAccept("req_x"));
    String refuse = FrameCodec.encode(new Frame.JobRefuse("req_x", "busy"));

    assertThat(accept).isEqualTo("{\"type\":\"job_accept\",\"job_id\":\"req_x\"}");
    assertThat(refuse)
        .isEqualTo("{\"type\":\"job_refuse\",\"job_id\":\"req_x\",\"reason\":\"busy\"}");
    assertThat(FrameCodec.decode(accept)).isEqualTo(new Frame.JobAccept("req_x"));
    assertThat(FrameCodec.decode(refuse)).isEqualTo(new Frame.JobRefuse("req_x", "busy"));
  }
}
