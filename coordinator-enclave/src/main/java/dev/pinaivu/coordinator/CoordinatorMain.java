package dev.pinaivu.coordinator;

import dev.pinaivu.coordinator.kms.RecipientAttestation;
import dev.pinaivu.coordinator.kms.SealedIdentity;
import dev.pinaivu.coordinator.kms.SealingException;
import dev.pinaivu.coordinator.nsm.NsmAttestor;
import dev.pinaivu.coordinator.nsm.NsmException;
import dev.pinaivu.coordinator.nsm.NsmIoctl;
import dev.pinaivu.core.attestation.AttestationVerifier;
import dev.pinaivu.core.coordinator.AttestedSuccession;
import dev.pinaivu.core.coordinator.Attestor;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.translog.InvalidNoteException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pinaivu coordinator}: generates the coordinator key, then serves the coordinator protocol
 * on loopback until stopped (SIGTERM, or the parent's end with {@code --exit-with-parent}). Its
 * first line on stdout is for the parent to parse:
 *
 * <pre>coordinator listening on 127.0.0.1:PORT key KEY_ID (dev)</pre>
 *
 * <p>With {@code --enclave} the key is attested by the NSM instead and the line ends {@code
 * (nitro)}; in the enclave a socat bridge forwards vsock port 5000 to it (docs/enclave.md). With
 * {@code --sealed-identity} the enclave keeps one key across restarts, sealed with KMS ({@link
 * SealedIdentity}); a blob that does not unseal stops the start. It serves only clients that prove
 * they know the parent secret ({@code --parent-secret-file}, or in the enclave {@code
 * --parent-secret-sealed}); without one it does not start.
 */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description =
        "Run the coordinator that signs dispatch tokens and receipts, on loopback TCP: --dev with a"
            + " software key and a marked dev attestation, or --enclave inside an AWS Nitro Enclave"
            + " with an NSM attestation document.")
public final class CoordinatorMain implements Callable<Integer> {
  static final String ONE_MODE =
      "Pass exactly one of --dev (a local coordinator with a software key and a dev attestation"
          + " that verifiers refuse unless told to accept it) or --enclave (inside an AWS Nitro"
          + " Enclave: the key is attested by the Nitro Security Module, /dev/nsm).";

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Loopback address to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      defaultValue = "5000",
      description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Mixin PricingOptions pricing;

  @Option(names = "--dev", description = "Development mode: software key, dev attestation")
  boolean dev;

  @Option(
      names = "--enclave",
      description = "Enclave mode: attest the key with the Nitro Security Module (/dev/nsm)")
  boolean enclave;

  @Mixin ParentSecretOptions parentSecret;

  @Mixin SealedIdentityOptions identity;

  @Mixin EnclaveKmsOptions kms;

  @Option(
      names = "--log-origin",
      defaultValue = CoordinatorOptions.DEFAULT_LOG_ORIGIN,
      description =
          "The transparency log's name (checkpoint origin line and key name), e.g."
              + " log.example.com/receipts; the gateway must use the same (default:"
              + " ${DEFAULT-VALUE})")
  String logOrigin;

  @Option(
      names = "--trust-predecessor-pcr0",
      paramLabel = "HEX",
      description =
          "Enclave mode: the PCR0 of an earlier image whose log this one may continue (repeat for"
              + " several). Without it only logs signed by this same image are continued. Baked"
              + " into the image's command line, so it is measured too")
  List<String> trustedPcr0 = new ArrayList<>();

  @Option(
      names = "--exit-with-parent",
      description = "Exit when standard input closes (the parent process ended)")
  boolean exitWithParent;

  @Spec CommandSpec spec;

  private final Supplier<NsmAttestor> nsm;
  private NsmAttestor nsmAttestor;

  public CoordinatorMain() {
    this(() -> new NsmAttestor(new NsmIoctl()));
  }

  /** {@code nsm} stands in for {@code /dev/nsm} in tests. */
  CoordinatorMain(Supplier<NsmAttestor> nsm) {
    this.nsm = nsm;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (dev == enclave) {
      spec.commandLine().getErr().println(ONE_MODE);
      return CommandLine.ExitCode.USAGE;
    }
    InetSocketAddress address = new InetSocketAddress(loopback(), checkedPort());
    CoordinatorOptions options = options();
    parentSecret.check(dev);
    kms.check(identity.given() || parentSecret.isSealed());
    RecipientAttestation attestation = publicKey -> nsmAttestor().attestedDocument(publicKey);
    ParentSecret secret;
    try {
      secret = parentSecret.load(attestation, kms);
    } catch (IllegalArgumentException | SealingException e) {
      spec.commandLine().getErr().println("cannot load the parent secret: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    } catch (NsmException e) {
      spec.commandLine().getErr().println("cannot attest for KMS: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
    Optional<SealedIdentityOptions.Opened> sealed = identity.open(dev, attestation, kms);
    CoordinatorService service;
    try {
      Attestor attestor = dev ? Attestor.DEV : nsmAttestor();
      service =
          sealed.isEmpty()
              ? CoordinatorService.boot(attestor, options)
              : CoordinatorService.boot(
                  attestor, options, sealed.get().identity().load(sealed.get().replace()));
    } catch (NsmException e) {
      spec.commandLine().getErr().println("cannot attest the coordinator key: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    } catch (SealingException e) {
      spec.commandLine()
          .getErr()
          .println("cannot load the coordinator identity: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    } finally {
      sealed.ifPresent(opened -> opened.kms().close()); // the identity is loaded once per start
    }
    CoordinatorServer server;
    try {
      server = CoordinatorServer.start(service, address, secret);
    } catch (IOException e) {
      spec.commandLine().getErr().println("cannot listen on " + address + ": " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              server.close();
              stopped.countDown();
            }));
    PrintWriter out = spec.commandLine().getOut();
    out.println(listeningLine(server.address(), service.identity()));
    out.flush();
    if (exitWithParent) {
      Thread.ofPlatform()
          .daemon()
          .name("exit-with-parent")
          .start(CoordinatorMain::exitAtEndOfInput);
    }
    stopped.await();
    return CommandLine.ExitCode.OK;
  }

  /** Dev mode keeps its exact line; a Nitro-attested key says {@code (nitro)} instead. */
  static String listeningLine(InetSocketAddress bound, CoordinatorKey key) {
    String line = listeningLine(bound, key.keyId());
    return key.kind() == CoordinatorKey.Kind.DEV ? line : line.replace(" (dev)", " (nitro)");
  }

  static String listeningLine(InetSocketAddress bound, String keyId) {
    InetAddress address = bound.getAddress();
    String host =
        address instanceof Inet6Address
            ? "[" + address.getHostAddress() + "]"
            : address.getHostAddress();
    return String.format(
        Locale.ROOT, "coordinator listening on %s:%d key %s (dev)", host, bound.getPort(), keyId);
  }

  private static void exitAtEndOfInput() {
    try {
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      // a broken pipe means the parent is gone as surely as an end of input
    }
    System.exit(0);
  }

  private NsmAttestor nsmAttestor() {
    if (nsmAttestor == null) {
      nsmAttestor = nsm.get();
    }
    return nsmAttestor;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private InetAddress loopback() {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--host: unknown host " + host);
    }
    if (!address.isLoopbackAddress()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--host must be a loopback address: the coordinator protocol is not encrypted (in an"
              + " enclave a vsock bridge forwards to loopback)");
    }
    return address;
  }

  private int checkedPort() {
    if (port < 0 || port > 65_535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535");
    }
    return port;
  }

  private CoordinatorOptions options() {
    CoordinatorOptions options = pricing.options();
    try {
      options = options.withLogOrigin(logOrigin);
    } catch (InvalidNoteException e) {
      throw usage("--log-origin: " + e.getMessage());
    }
    if (!enclave) {
      if (!trustedPcr0.isEmpty()) {
        throw usage("--trust-predecessor-pcr0 is for --enclave");
      }
      return options;
    }
    try {
      // an enclave continues only logs whose signers' attestations verify (ADR 10 §4)
      return options.withSuccession(
          new AttestedSuccession(new AttestationVerifier(), Set.copyOf(trustedPcr0)));
    } catch (IllegalArgumentException e) {
      throw usage("--trust-predecessor-pcr0: " + e.getMessage());
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CoordinatorMain()).execute(args));
  }
}
