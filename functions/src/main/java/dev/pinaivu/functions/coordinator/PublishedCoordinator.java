package dev.pinaivu.functions.coordinator;

import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The coordinator as its stack publishes it in Parameter Store (ADR 37): {@code
 * <path>coordinator-address}, a String parameter CloudFormation keeps equal to the parent
 * instance's private address and the functions' port ({@code 10.0.0.12:730}), and {@code
 * <path>parent-secret}, the SecureString the parent instance puts at its first boot under the
 * stack's own KMS key. The address is read again before every new connection (at most every {@link
 * #REFRESH}), so a replaced instance, with another address, is found without a redeployment; the
 * secret once, when the client is built.
 */
public final class PublishedCoordinator implements TcpCoordinator.Address {
  public static final String ADDRESS = "coordinator-address";
  public static final String PARENT_SECRET = "parent-secret";

  /** How long an address read is used for new connections before it is read again. */
  static final Duration REFRESH = Duration.ofSeconds(10);

  // an IPv4 address or a host name, then a port: what the stack writes
  private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]{1,253}):(\\d{1,5})");

  private final SsmClient ssm;
  private final String path;
  private final InstantSource clock;
  private InetSocketAddress address;
  private long readAtMs;

  /**
   * @param path the parameters' common prefix, ending in {@code /}
   */
  public PublishedCoordinator(SsmClient ssm, String path, InstantSource clock) {
    this.ssm = Objects.requireNonNull(ssm, "ssm");
    if (path == null || !path.startsWith("/") || !path.endsWith("/")) {
      throw new IllegalArgumentException("a parameter path starts and ends with /: " + path);
    }
    this.path = path;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The client of the published coordinator, with the published parent secret. */
  public TcpCoordinator client() {
    return new TcpCoordinator(
        this,
        parentSecret(),
        TcpCoordinator.DEFAULT_CONNECT_TIMEOUT,
        TcpCoordinator.DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * The parent secret, decrypted by Parameter Store.
   *
   * @throws IllegalStateException when it cannot be read or is not a SecureString of 64 hex digits:
   *     the function cannot start without it (its message never holds the value)
   */
  public ParentSecret parentSecret() {
    String name = path + PARENT_SECRET;
    Parameter parameter =
        read(name, true)
            .orElseThrow(() ->
                new IllegalStateException(
                    name
                        + " does not exist yet: the coordinator instance puts it at its"
                        + " first boot (ADR 37)"));
    if (parameter.type() != ParameterType.SECURE_STRING) {
      throw new IllegalStateException(name + " must be a SecureString, is " + parameter.type());
    }
    try {
      return ParentSecret.parse(parameter.value());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(name + " is not 64 hex digits", null);
    }
  }

  @Override
  public synchronized InetSocketAddress resolve() throws CoordinatorUnavailableException {
    long now = clock.millis();
    if (address != null && now - readAtMs < REFRESH.toMillis()) {
      return address;
    }
    String name = path + ADDRESS;
    String value;
    try {
      value =
          read(name, false)
              .orElseThrow(() ->
                  new CoordinatorUnavailableException(
                      name + " does not exist: is the coordinator stack deployed?", null))
              .value();
    } catch (IllegalStateException e) {
      throw new CoordinatorUnavailableException(e.getMessage(), e.getCause());
    }
    Matcher hostPort = HOST_PORT.matcher(value);
    int port = hostPort.matches() ? Integer.parseInt(hostPort.group(2)) : 0;
    if (port < 1 || port > 65_535) {
      throw new CoordinatorUnavailableException(name + " is not host:port: " + value, null);
    }
    address = new InetSocketAddress(hostPort.group(1), port); // an IP literal needs no DNS
    readAtMs = now;
    return address;
  }

  private Optional<Parameter> read(String name, boolean decrypt) {
    try {
      return Optional.of(ssm.getParameter(b -> b.name(name).withDecryption(decrypt)).parameter());
    } catch (ParameterNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }
}
