package dev.pinaivu.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final Authenticator authenticator = new Authenticator(store);

  private ApiKey stored() {
    ApiKey key = ApiKey.generate();
    store.insert(ApiKeyStoreContract.record(key, 1));
    return key;
  }

  @Test
  void authenticate_withStoredKey_returnsItsAccount() {
    ApiKey key = stored();

    Caller caller = authenticator.authenticate("Bearer " + key.reveal());

    assertThat(caller.accountId()).isEqualTo("acct_test");
  }

  @Test
  void authenticate_givesTheCallerTheKeysScopesModelsAndLimits() {
    ApiKey key = ApiKey.generate();
    ApiKeyRecord r = ApiKeyStoreContract.restricted(key);
    store.insert(r);

    Caller caller = authenticator.authenticate("Bearer " + key.reveal());

    assertThat(caller)
        .isEqualTo(
            new Caller(
                r.id(),
                "acct_test",
                java.util.EnumSet.of(Scope.CHAT, Scope.USAGE),
                r.models(),
                60,
                90_000,
                5_000_000L));
  }

  @Test
  void authenticate_acceptsAnyCaseOfTheScheme() {
    ApiKey key = stored();

    assertThat(authenticator.authenticate("bearer " + key.reveal())).isNotNull();
  }

  @Test
  void authenticate_refusesMissingMalformedUnknownAndRevokedKeys() {
    ApiKey revoked = stored();
    store.revoke(store.findByHash(revoked.hash()).orElseThrow().id(), 2);

    for (String header :
        new String[] {
          null,
          "",
          "sk-pnv-abc",
          "Basic abc",
          "Bearer sk-pnv-short",
          "Bearer " + ApiKey.generate().reveal(),
          "Bearer " + revoked.reveal(),
          "Bearer " + revoked.reveal().toUpperCase()
        }) {
      assertThatThrownBy(() -> authenticator.authenticate(header))
          .as("header %s", header)
          .isInstanceOfSatisfying(
              ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
    }
  }

  @Test
  void apiKey_neverShowsItsSecretInToString() {
    ApiKey key = ApiKey.generate();

    assertThat(key.toString()).doesNotContain(key.reveal()).contains(key.hint());
    assertThat(key.reveal()).startsWith("sk-pnv-").hasSize(59);
  }
}
