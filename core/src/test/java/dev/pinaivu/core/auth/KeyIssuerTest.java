package dev.pinaivu.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ApiException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyIssuerTest {
  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final InstantSource clock = () -> Instant.ofEpochMilli(1_800_000_000_000L);
  private final KeyIssuer issuer = new KeyIssuer(store, clock);
  private final Authenticator authenticator = new Authenticator(store);

  private static NewKey spec(Set<Scope> scopes) {
    return new NewKey("ci", "acct_team", scopes, Set.of("m"), 10, 1000, 2_000_000L);
  }

  @Test
  void issue_storesOnlyTheHash_andTheKeyWorksAtOnce() {
    IssuedKey issued = issuer.issue(spec(EnumSet.of(Scope.CHAT)));

    ApiKeyRecord stored = store.findById(issued.record().id()).orElseThrow();
    assertThat(stored.keyHash()).isEqualTo(issued.key().hash());
    assertThat(stored.toString()).doesNotContain(issued.key().reveal());
    assertThat(issued.toString()).doesNotContain(issued.key().reveal());
    assertThat(stored.id()).startsWith("key_");
    assertThat(stored.createdAtMs()).isEqualTo(1_800_000_000_000L);
    assertThat(stored.scopes()).containsExactly(Scope.CHAT);
    assertThat(stored.models()).containsExactly("m");
    assertThat(stored.rpm()).isEqualTo(10);
    assertThat(stored.tpm()).isEqualTo(1000);
    assertThat(stored.budgetMicros()).isEqualTo(2_000_000L);
    assertThat(authenticator.authenticate("Bearer " + issued.key().reveal()).keyId())
        .isEqualTo(stored.id());
  }

  @Test
  void revoke_refusesTheKeyFromTheNextRequestOn() {
    IssuedKey issued = issuer.issue(spec(Scope.all()));

    assertThat(issuer.revoke(issued.record().id())).isEqualTo(KeyIssuer.Revocation.REVOKED);

    assertThatThrownBy(() -> authenticator.authenticate("Bearer " + issued.key().reveal()))
        .isInstanceOf(ApiException.class);
    assertThat(issuer.revoke(issued.record().id())).isEqualTo(KeyIssuer.Revocation.ALREADY_REVOKED);
    assertThat(issuer.revoke("key_unknown")).isEqualTo(KeyIssuer.Revocation.UNKNOWN_KEY);
  }

  @Test
  void newKey_refusesWhatCannotMakeAUsableKey() {
    assertThatThrownBy(() -> new NewKey(" ", "acct_a", Scope.all(), Set.of(), null, null, null))
        .hasMessageContaining("name");
    assertThatThrownBy(() -> new NewKey("n", "node_x", Scope.all(), Set.of(), null, null, null))
        .hasMessageContaining("acct_");
    assertThatThrownBy(() -> new NewKey("n", "acct_a", Set.of(), Set.of(), null, null, null))
        .hasMessageContaining("at least one scope");
    assertThatThrownBy(
            () -> issuer.issue(new NewKey("n", "acct_a", Scope.all(), Set.of(), 0, null, null)))
        .hasMessageContaining("rpm");
    assertThatThrownBy(
            () -> issuer.issue(new NewKey("n", "acct_a", Scope.all(), Set.of(), null, -1, null)))
        .hasMessageContaining("tpm");
    assertThatThrownBy(
            () -> issuer.issue(new NewKey("n", "acct_a", Scope.all(), Set.of(), null, null, -1L)))
        .hasMessageContaining("budget");
    assertThatThrownBy(() ->
            issuer.issue(new NewKey("n", "acct_a", Scope.all(), Set.of(" "), null, null, null)))
        .hasMessageContaining("model");
    assertThat(store.list()).isEmpty();
  }
}
