package dev.pinaivu.cli;

import dev.pinaivu.core.money.Usd;
import dev.pinaivu.gateway.DevApiKey;
import dev.pinaivu.gateway.GatewayServer;
import java.nio.file.Path;

/** What a user needs to start calling the network, printed once it is up. */
final class Banner {
  private Banner() {}

  static void print(GatewayServer gateway, Path dataDir) {
    String key = gateway.devKey().reveal();
    System.out.printf(
        """

        Pinaivu gateway is running.
          Base URL : %s
          API key  : %s   (also in %s)
          Credit   : $%s on %s   (./pinaivu accounts credit to add more)
          Admin    : token in %s   (./pinaivu keys create for more keys)
          Nodes    : %s

        Try it:
          curl %s/chat/completions \\
            -H "Authorization: Bearer %s" -H "Content-Type: application/json" \\
            -d '{"model":"pinaivu-demo-echo","messages":[{"role":"user","content":"Hello"}]}'

        """,
        gateway.baseUrl(),
        key,
        dataDir.resolve(DevApiKey.FILE),
        Usd.format(gateway.devBalanceMicros()),
        DevApiKey.ACCOUNT,
        gateway.adminTokenWhere(),
        gateway.nodeUrl(),
        gateway.baseUrl(),
        key);
    System.out.flush();
  }
}
