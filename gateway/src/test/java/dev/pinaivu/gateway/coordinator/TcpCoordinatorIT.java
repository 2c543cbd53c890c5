package dev.pinaivu.gateway.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.coordinator.CoordinatorServer;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorContract;
import dev.pinaivu.core.coordinator.CoordinatorJob;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import dev.pinaivu.core.pricing.FeePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator contract through the TCP client, against the real dev-mode server on loopback.
 */
class TcpCoordinatorIT extends CoordinatorContract {
  private CountingCoordinator service;
  private CoordinatorServer server;
  private final ParentSecret secret = ParentSecret.generate();

  @Override
  protected Coordinator newCoordinator(FeePolicy fees) throws Exception {
    service = new CountingCoordinator(CoordinatorService.dev(CoordinatorOptions.withFees(fees)));
    server =
        CoordinatorServer.start(
            service, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), secret);
    TcpCoordinator client = new TcpCoordinator(server.address(), secret);
    client.openLogOnConnect(connected ->
        connected.openLog(Coordinator.LogState.EMPTY)); // as the gateway's StoredLog does
    return client;
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void identity_isAskedOncePerConnection_thenAnsweredFromMemory() throws Exception {
    for (int i = 0; i < 5; i++) {
      coordinator.identity();
    }
    coordinator.dispatch(new CoordinatorJob().dispatchRequest());

    assertThat(service.identityCalls).hasValue(1);
  }

  /**
   * SnapStart's checkpoint (ADR 26): no connection may be copied into the restored environments.
   */
  @Test
  void disconnect_closesTheConnection_andTheNextCallOpensAnotherWithItsOwnHandshake()
      throws Exception {
    TcpCoordinator client = (TcpCoordinator) coordinator;
    client.dispatch(new CoordinatorJob().dispatchRequest());
    assertThat(server.openConnections()).isEqualTo(1);

    client.disconnect();
    for (int i = 0; i < 500 && server.openConnections() > 0; i++) {
      Thread.sleep(10); // the server's reader sees the close
    }
    assertThat(server.openConnections()).isZero();

    assertThat(client.dispatch(new CoordinatorJob().dispatchRequest())).isNotNull();
    assertThat(server.openConnections()).isEqualTo(1);
    assertThat(service.identityCalls).hasValue(2); // a new connection asks again
  }
}
