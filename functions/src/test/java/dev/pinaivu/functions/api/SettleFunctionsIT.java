package dev.pinaivu.functions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pinaivu.coordinator.CoordinatorServer;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.functions.coordinator.ParameterStoreTestServer;
import dev.pinaivu.functions.coordinator.PublishedCoordinator;
import dev.pinaivu.functions.secrets.SecretsManagerTestServer;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import dev.pinaivu.functions.testsupport.SampleEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settle functions' environment (ADR 36) builds settlements, not the chat: it starts without
 * the node socket's URL, which only the chat's relay uses, settles what is owed, and keeps the
 * coordinator's key as the chat's does.
 */
class SettleFunctionsIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "stand-in");
    System.setProperty("aws.secretAccessKey", "stand-in");
  }

  @Test
  void theSettleFunctions_startWithoutTheNodeSocket_andKeepTheCoordinatorsKey() throws Exception {
    String prefix = "settle-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    ParentSecret secret = ParentSecret.generate();
    CoordinatorService service =
        CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500)));
    try (SecretsManagerTestServer secrets = new SecretsManagerTestServer();
        ParameterStoreTestServer parameters = new ParameterStoreTestServer();
        CoordinatorServer coordinator =
            CoordinatorServer.start(
                service, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), secret)) {
      secrets.put("pinaivu/account-ref-secret", HexFormat.of().formatHex(new byte[32]));
      parameters.putString(
          "/pinaivu/" + PublishedCoordinator.ADDRESS, "127.0.0.1:" + coordinator.port());
      parameters.putSecureString("/pinaivu/" + PublishedCoordinator.PARENT_SECRET, secret.hex());
      Map<String, String> env = new HashMap<>();
      env.put("AWS_REGION", "us-east-1");
      env.put(ServerlessNetwork.TABLE_PREFIX, prefix);
      env.put(ServerlessNetwork.DYNAMODB_ENDPOINT, FRONT.endpoint().toString());
      env.put(ServerlessChat.COORDINATOR_PATH, "/pinaivu/");
      env.put(ServerlessChat.SSM_ENDPOINT, parameters.endpoint().toString());
      env.put(ServerlessChat.SECRET_PREFIX, "pinaivu/");
      env.put(ServerlessChat.SECRETS_ENDPOINT, secrets.endpoint().toString());

      SettleSweepHandler sweep =
          new SettleSweepHandler(ServerlessChat.settlerFromEnvironment(env), Duration.ZERO);
      ScheduledEvent event =
          EventLoader.loadScheduledEvent(SampleEvents.path("scheduled/settle-sweep.json"));

      assertThat(sweep.handleRequest(event, null)).isZero();
      assertThat(
              new DynamoDbCoordinatorKeys(
                      FRONT.client(), DynamoDbNetworkStores.networkTable(prefix))
                  .all())
          .extracting(CoordinatorKey::keyId)
          .containsExactly(service.identity().keyId());
      assertThatThrownBy(() -> ServerlessChat.fromEnvironment(env)) // the chat needs its relay
          .hasMessageContaining(ServerlessChat.NODE_SOCKET_URL);
    }
  }
}
