package dev.pinaivu.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Secrets} adapter must do. An adapter's test extends this class, says whether
 * its store makes missing secrets, and provides one in which {@code admin-token} holds {@link
 * #KNOWN} (where it does not make them) and {@code account-ref-secret} is absent.
 */
public abstract class SecretsContract {
  protected static final String KNOWN = "pnv-admin-0123456789abcdefghijklmnopqrstuv";

  /** A store in which {@code admin-token} is {@link #KNOWN} unless it makes its own secrets. */
  protected abstract Secrets newSecrets();

  /** The same store, as a new process would open it. */
  protected abstract Secrets reopened();

  /** Whether the store makes missing secrets (locally) or only reads them (AWS). */
  protected abstract boolean makesSecrets();

  @Test
  void secret_isTheSameOnEveryCall_andAfterAReopen() {
    Secrets secrets = newSecrets();
    String first = secrets.secret("admin-token", () -> KNOWN);

    assertThat(secrets.secret("admin-token", () -> "another value")).isEqualTo(first);
    assertThat(reopened().secret("admin-token", () -> "another value")).isEqualTo(first);
    assertThat(first).isEqualTo(KNOWN);
  }

  @Test
  void aMissingSecret_isMadeOnce_orRefusedNamingIt() {
    Secrets secrets = newSecrets();
    AtomicInteger made = new AtomicInteger();
    Supplier<String> fresh = () -> "made-" + made.incrementAndGet() + "-0123456789abcdefghij";

    if (makesSecrets()) {
      String value = secrets.secret("account-ref-secret", fresh);
      assertThat(value).isEqualTo("made-1-0123456789abcdefghij");
      assertThat(secrets.secret("account-ref-secret", fresh)).isEqualTo(value);
      assertThat(reopened().secret("account-ref-secret", fresh)).isEqualTo(value);
      assertThat(made).hasValue(1);
    } else {
      assertThatThrownBy(() -> secrets.secret("account-ref-secret", fresh))
          .isInstanceOf(MissingSecretException.class)
          .hasMessageContaining("account-ref-secret");
      assertThat(made).hasValue(0);
    }
  }

  @Test
  void where_namesTheSecretsPlace_neverItsValue() {
    Secrets secrets = newSecrets();
    String value = secrets.secret("admin-token", () -> KNOWN);

    assertThat(secrets.where("admin-token")).contains("admin-token").doesNotContain(value);
    assertThatThrownBy(() -> secrets.where("../admin-token"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secret_refusesNamesThatCouldLeaveTheStore() {
    Secrets secrets = newSecrets();
    for (String name : new String[] {"../admin-token", "a/b", "", "Admin", "arn:aws:x"}) {
      assertThatThrownBy(() -> secrets.secret(name, () -> KNOWN))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void toString_showsNoValue() {
    Secrets secrets = newSecrets();
    secrets.secret("admin-token", () -> KNOWN);
    assertThat(secrets.toString()).doesNotContain(KNOWN);
  }
}
