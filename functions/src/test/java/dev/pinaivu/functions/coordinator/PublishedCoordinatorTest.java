package dev.pinaivu.functions.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.MutableClock;
import dev.pinaivu.core.coordinator.ParentSecret;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PublishedCoordinatorTest {
  private static final String PATH = "/pinaivu/PinaivuCoordinator/";

  private ParameterStoreTestServer store;
  private final MutableClock clock = new MutableClock(1_000_000);
  private PublishedCoordinator published;

  @BeforeEach
  void start() throws Exception {
    store = new ParameterStoreTestServer();
    published = new PublishedCoordinator(store.client(), PATH, clock);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void theAddress_isReadAgainAfterItsRefresh_soAReplacedInstanceIsFound() throws Exception {
    store.putString(PATH + "coordinator-address", "10.0.0.12:730");
    assertThat(published.resolve()).isEqualTo(new InetSocketAddress("10.0.0.12", 730));

    store.putString(PATH + "coordinator-address", "10.0.0.57:730"); // the instance replaced
    assertThat(published.resolve())
        .as("within the refresh, the address read")
        .isEqualTo(new InetSocketAddress("10.0.0.12", 730));
    assertThat(store.requested()).hasSize(1);

    clock.advance(PublishedCoordinator.REFRESH.toMillis());
    assertThat(published.resolve()).isEqualTo(new InetSocketAddress("10.0.0.57", 730));
    assertThat(store.requested()).hasSize(2);
  }

  @Test
  void aMissingOrGarbledAddress_isUnavailable_notACrash() {
    assertThatThrownBy(published::resolve)
        .isInstanceOf(CoordinatorUnavailableException.class)
        .hasMessageContaining(PATH + "coordinator-address does not exist");

    for (String garbled : new String[] {"10.0.0.12", "10.0.0.12:0", "10.0.0.12:70000", "a b:1"}) {
      store.putString(PATH + "coordinator-address", garbled);
      clock.advance(PublishedCoordinator.REFRESH.toMillis());
      assertThatThrownBy(published::resolve)
          .as(garbled)
          .isInstanceOf(CoordinatorUnavailableException.class)
          .hasMessageContaining("is not host:port");
    }
  }

  @Test
  void theParentSecret_isTheDecryptedSecureString() {
    ParentSecret secret = ParentSecret.generate();
    store.putSecureString(PATH + "parent-secret", secret.hex());

    assertThat(published.parentSecret().hex()).isEqualTo(secret.hex());
  }

  @Test
  void aParentSecretStoredInTheClear_orNotHex_orMissing_stopsTheFunction_withoutItsValue() {
    assertThatThrownBy(published::parentSecret)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not exist yet");

    String hex = ParentSecret.generate().hex();
    store.putString(PATH + "parent-secret", hex);
    assertThatThrownBy(published::parentSecret)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be a SecureString")
        .hasMessageNotContaining(hex);

    store.putSecureString(PATH + "parent-secret", "not-hex-" + hex);
    assertThatThrownBy(published::parentSecret)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not 64 hex digits")
        .hasMessageNotContaining(hex);
  }

  @Test
  void aPathThatIsNotAParameterPath_isRefused() {
    assertThatThrownBy(() -> new PublishedCoordinator(store.client(), "pinaivu/", clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
