package dev.pinaivu.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsTest {
  private static Caller caller(Set<Scope> scopes, Set<String> models) {
    return new Caller("key_1", "acct_1", scopes, models, null, null, null);
  }

  @Test
  void require_withTheScope_passes() {
    Caller chatOnly = caller(EnumSet.of(Scope.CHAT), Set.of());

    assertThatCode(() -> Permissions.require(chatOnly, Scope.CHAT)).doesNotThrowAnyException();
  }

  @Test
  void require_withoutTheScope_is403MissingScope() {
    Caller modelsOnly = caller(EnumSet.of(Scope.MODELS), Set.of());

    for (Scope missing : EnumSet.of(Scope.CHAT, Scope.USAGE, Scope.RECEIPTS)) {
      assertThatThrownBy(() -> Permissions.require(modelsOnly, missing))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION);
                assertThat(e.kind().type()).isEqualTo("permission_error");
                assertThat(e.code()).isEqualTo("missing_scope");
                assertThat(e.getMessage()).contains("'" + missing.wireName() + "'");
              });
    }
  }

  @Test
  void requireModel_withoutAModelList_allowsEveryModel() {
    Caller any = caller(Scope.all(), Set.of());

    assertThatCode(() -> Permissions.requireModel(any, "anything/at-all"))
        .doesNotThrowAnyException();
  }

  @Test
  void requireModel_outsideTheList_is403ModelNotAllowed() {
    Caller onlyA = caller(Scope.all(), Set.of("a"));

    assertThatCode(() -> Permissions.requireModel(onlyA, "a")).doesNotThrowAnyException();
    for (String other : new String[] {"b", "A", "a ", "a/b"}) {
      assertThatThrownBy(() -> Permissions.requireModel(onlyA, other))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION);
                assertThat(e.code()).isEqualTo("model_not_allowed");
                assertThat(e.param()).isEqualTo("model");
              });
    }
  }
}
