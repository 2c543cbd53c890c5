package dev.pinaivu.core.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.InMemoryApiKeyStore;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.routing.LiveOffer;
import dev.pinaivu.core.routing.NodeCandidate;
import dev.pinaivu.core.routing.NodeDirectory;
import dev.pinaivu.core.routing.PriceCeilings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
  private final List<LiveOffer> offers = new ArrayList<>();
  private final InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
  private final String auth;
  private final ModelCatalog catalog;

  ModelCatalogTest() {
    ApiKey key = ApiKey.generate();
    keys.insert(new ApiKeyRecord("key_1", "t", "acct_1", key.hash(), key.hint(), 1, null));
    auth = "Bearer " + key.reveal();
    NodeDirectory directory =
        new NodeDirectory() {
          @Override
          public List<NodeCandidate> candidates(String model) {
            return List.of();
          }

          @Override
          public List<LiveOffer> liveOffers() {
            return offers;
          }

          @Override
          public void recordSuccess(NodeId node, double latencyMs) {}

          @Override
          public void recordFailure(NodeId node) {}
        };
    catalog = new ModelCatalog(new Authenticator(keys), directory, PriceCeilings.DEFAULTS);
  }

  @Test
  void list_groupsLiveNodesPerModelWithTheLowestPrice() {
    NodeId a = NodeKey.generate().id();
    NodeId b = NodeKey.generate().id();
    offers.add(new LiveOffer(a, new ModelOffer("llama", 150_000, 600_000, 8192), 2_000_000));
    offers.add(new LiveOffer(b, new ModelOffer("llama", 100_000, 400_000, 32768), 1_000_000));
    offers.add(new LiveOffer(b, new ModelOffer("qwen", 0, 0, null), 1_000_000));

    ObjectNode list = catalog.list(auth);

    assertThat(list.get("object").asText()).isEqualTo("list");
    JsonNode llama = list.get("data").get(0);
    assertThat(llama.get("id").asText()).isEqualTo("llama");
    assertThat(llama.get("object").asText()).isEqualTo("model");
    assertThat(llama.get("nodes").asInt()).isEqualTo(2);
    assertThat(llama.get("created").asLong()).isEqualTo(1000);
    assertThat(llama.get("context_length").asInt()).isEqualTo(32768);
    assertThat(llama.get("pricing").get("prompt").asText()).isEqualTo("0.0000001");
    assertThat(llama.get("pricing").get("completion").asText()).isEqualTo("0.0000004");
    assertThat(llama.get("pricing").get("prompt_per_million").asText()).isEqualTo("0.1");
    JsonNode qwen = list.get("data").get(1);
    assertThat(qwen.get("pricing").get("prompt").asText()).isEqualTo("0");
    assertThat(qwen.get("context_length").isNull()).isTrue();
  }

  @Test
  void get_unknownModel_is404() {
    assertThatThrownBy(() -> catalog.get(auth, "nope"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
  }

  @Test
  void list_withoutKey_is401() {
    assertThatThrownBy(() -> catalog.list(null))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
  }

  private String keyWith(Set<Scope> scopes, Set<String> models) {
    ApiKey key = ApiKey.generate();
    keys.insert(
        new ApiKeyRecord(
            "key_" + dev.pinaivu.core.id.Ulid.next(),
            "t",
            "acct_1",
            key.hash(),
            key.hint(),
            1,
            null,
            scopes,
            models,
            null,
            null,
            null));
    return "Bearer " + key.reveal();
  }

  private void serve(String... models) {
    NodeId node = NodeKey.generate().id();
    for (String m : models) {
      offers.add(new LiveOffer(node, new ModelOffer(m, 1, 1, null), 1_000_000));
    }
  }

  @Test
  void list_forAKeyRestrictedToSomeModels_showsOnlyThose() {
    serve("a", "b", "c");
    String onlyA = keyWith(Scope.all(), Set.of("a", "not-served"));

    ObjectNode list = catalog.list(onlyA);

    assertThat(list.get("data")).extracting(m -> m.get("id").asText()).containsExactly("a");
    assertThat(catalog.get(onlyA, "a").get("id").asText()).isEqualTo("a");
  }

  @Test
  void get_aModelTheKeyMayNotUse_is404LikeAnUnknownOne() {
    serve("a", "b");
    String onlyA = keyWith(Scope.all(), Set.of("a"));

    ApiException hidden = catchThrowableOfType(ApiException.class, () -> catalog.get(onlyA, "b"));
    ApiException unknown = catchThrowableOfType(ApiException.class, () -> catalog.get(onlyA, "z"));

    assertThat(hidden.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(hidden.getMessage()).isEqualTo(unknown.getMessage().replace("'z'", "'b'"));
    assertThat(hidden.code()).isEqualTo(unknown.code());
  }

  @Test
  void listAndGet_withoutTheModelsScope_are403() {
    serve("a");
    String chatOnly = keyWith(EnumSet.of(Scope.CHAT), Set.of());

    for (Runnable call :
        new Runnable[] {() -> catalog.list(chatOnly), () -> catalog.get(chatOnly, "a")}) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION);
                assertThat(e.code()).isEqualTo("missing_scope");
              });
    }
  }
}
