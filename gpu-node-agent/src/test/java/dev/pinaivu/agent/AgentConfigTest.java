package dev.pinaivu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @Test
  void nodeUrlFor_acceptsWhatAnOperatorWouldPaste() {
    assertThat(AgentConfig.nodeUrlFor("http://127.0.0.1:8080").toString())
        .isEqualTo("ws://127.0.0.1:8080/v1/nodes/connect");
    assertThat(AgentConfig.nodeUrlFor("http://127.0.0.1:8080/v1/").toString())
        .isEqualTo("ws://127.0.0.1:8080/v1/nodes/connect");
    assertThat(AgentConfig.nodeUrlFor("https://api.example.com").toString())
        .isEqualTo("wss://api.example.com/v1/nodes/connect");
    assertThat(AgentConfig.nodeUrlFor("wss://ws.example.com/prod").toString())
        .isEqualTo("wss://ws.example.com/prod");
  }

  @Test
  void nodeUrlFor_refusesOtherSchemes() {
    assertThatThrownBy(() -> AgentConfig.nodeUrlFor("ftp://x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AgentConfig.nodeUrlFor("localhost:8080"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
