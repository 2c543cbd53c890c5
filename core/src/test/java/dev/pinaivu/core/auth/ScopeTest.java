package dev.pinaivu.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ScopeTest {
  @Test
  void parse_readsTheLowerCaseNames() {
    assertThat(Scope.parse("chat")).isEqualTo(Scope.CHAT);
    assertThat(Scope.parse(" receipts ")).isEqualTo(Scope.RECEIPTS);
    assertThat(Scope.names(Scope.all())).isEqualTo("chat,models,usage,receipts");
    assertThat(Scope.names(EnumSet.of(Scope.USAGE, Scope.CHAT))).isEqualTo("chat,usage");
  }

  @Test
  void parse_unknownName_isRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> Scope.parse("admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'admin'")
        .hasMessageContaining("chat,models,usage,receipts");
    assertThatThrownBy(() -> Scope.parse("CHAT")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromWire_unknownName_isNullSoStoredKeysFromNewerBuildsStillLoad() {
    assertThat(Scope.fromWire("embeddings")).isNull();
    assertThat(Scope.fromWire("models")).isEqualTo(Scope.MODELS);
  }
}
