package dev.pinaivu.cli.receipts;

import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.translog.InvalidNoteException;
import dev.pinaivu.core.translog.NoteText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pinaivu receipts verify}: one receipt, offline, with {@link ReceiptVerifier}. Prints one
 * line and exits 0 (valid), 1 (invalid) or 2 (nothing to verify: no file, no network, no key).
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Verify a routing receipt from a FILE, or fetched from the gateway by REQUEST_ID, against"
            + " coordinator keys that are attested (Nitro) or, with --allow-dev, development keys."
            + " Exit 0 valid, 1 invalid, 2 when there is nothing to verify.")
public final class VerifyCommand implements Callable<Integer> {
  static final int INVALID = 1;
  static final int UNUSABLE = 2;

  @Parameters(
      index = "0",
      paramLabel = "REQUEST_ID|FILE",
      description = "A receipt file (the signed envelope), or a request id (req_...) to fetch")
  String target;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      description =
          "Gateway base URL (default: the one ./pinaivu up wrote in --data-dir, else"
              + " http://127.0.0.1:8080/v1)")
  URI gateway;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = LocalNetwork.DEFAULT_DATA_DIR,
      description =
          "Data directory of the local network (./pinaivu up --data-dir), for its gateway URL and"
              + " dev API key (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "API key to fetch a receipt (visible to other local users; prefer --key-file)")
  String apiKey;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description = "File holding the API key (default: dev-api-key in --data-dir)")
  Path keyFile;

  @Option(
      names = "--allow-dev",
      description =
          "Accept receipts signed by a development key (a local network; attests nothing)")
  boolean allowDev;

  @Option(
      names = "--coordinator-key",
      paramLabel = "FILE_OR_B64",
      description =
          "Trust this key instead of the gateway's listing: a file (saved GET /v1/attestation,"
              + " dev or Nitro attestation document, bare key) or an inline key. Repeatable.")
  List<String> coordinatorKeys = List.of();

  @Option(
      names = "--pcr0",
      paramLabel = "HEX",
      description = "Require this PCR0 (the enclave image) in Nitro attestation documents")
  String pcr0;

  @Option(
      names = "--log-origin",
      paramLabel = "ORIGIN",
      defaultValue = CoordinatorOptions.DEFAULT_LOG_ORIGIN,
      description =
          "The transparency log's origin; a receipt's checkpoint must name it (default:"
              + " ${DEFAULT-VALUE})")
  String logOrigin;

  @Option(
      names = "--client-response",
      paramLabel = "FILE",
      description =
          "The response body the client saved (the JSON, or the whole event stream); its SHA-256"
              + " must be the receipt's client_response_sha256")
  Path clientResponse;

  @Spec CommandSpec spec;

  private final NitroCheck nitro;

  public VerifyCommand() {
    this(null);
  }

  /** For tests: {@code nitro} stands in for the real attestation check; null for the real one. */
  VerifyCommand(NitroCheck nitro) {
    this.nitro = nitro;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Sources sources = new Sources()) {
      byte[] receipt = sources.receipt();
      KeyTrust trust = sources.keys();
      requireOrigin(logOrigin);
      byte[] saved = clientResponse == null ? null : readAll(clientResponse);
      ReceiptCheck.Verdict verdict =
          ReceiptCheck.run(
              receipt, trust, new ReceiptCheck.Against(allowDev, pcr0 != null, logOrigin, saved));
      out.println(verdict.line());
      out.flush();
      return verdict.valid() ? 0 : INVALID;
    } catch (UnusableInputException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("cannot verify " + Printable.line(target) + ": " + e.getMessage());
      err.flush();
      return UNUSABLE;
    }
  }

  static void requireOrigin(String origin) throws UnusableInputException {
    try {
      NoteText.requireKeyName(origin);
    } catch (InvalidNoteException e) {
      throw new UnusableInputException("--log-origin: " + e.getMessage());
    }
  }

  private static byte[] readAll(Path file) throws UnusableInputException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UnusableInputException("cannot read --client-response " + file + ": " + e);
    }
  }

  /** Where the receipt and the keys come from; opens the gateway client only when needed. */
  private final class Sources implements AutoCloseable {
    private GatewayClient client;

    byte[] receipt() throws UnusableInputException {
      Path file = pathOrNull(target);
      if (file != null && Files.isRegularFile(file)) {
        return read(file);
      }
      if (RequestId.isValid(target)) {
        return gateway(apiKey(true)).receipt(RequestId.parse(target));
      }
      throw new UnusableInputException("no such file, and not a request id (req_...)");
    }

    KeyTrust keys() throws UnusableInputException {
      KeyAttestation attestation = new KeyAttestation(nitroCheck());
      if (coordinatorKeys.isEmpty() && gateway == null && !RequestId.isValid(target)) {
        throw new UnusableInputException(
            "a receipt from a file is checked offline, so the coordinator's key must be given:"
                + " pass --coordinator-key FILE (the gateway's GET /v1/attestation, saved once),"
                + " or --gateway URL to trust that gateway's key listing instead");
      }
      if (coordinatorKeys.isEmpty()) {
        return KeyListing.read(gateway(apiKey(false)).keyListing(), attestation);
      }
      KeyTrust trust = KeyTrust.NONE;
      for (String value : coordinatorKeys) {
        trust = trust.plus(CoordinatorKeyArg.read(value, attestation));
      }
      return trust;
    }

    private NitroCheck nitroCheck() throws UnusableInputException {
      if (nitro != null) {
        return nitro;
      }
      try {
        return NitroCheck.withPcr0(pcr0);
      } catch (IllegalArgumentException e) {
        throw new UnusableInputException("--pcr0: " + e.getMessage());
      }
    }

    private GatewayClient gateway(String key) throws UnusableInputException {
      if (client == null) {
        client = new GatewayClient(LocalNetwork.gateway(gateway, dataDir), key);
      }
      return client;
    }

    /** The API key from --api-key or --key-file; null when neither has one and none is required. */
    private String apiKey(boolean required) throws UnusableInputException {
      if (apiKey != null) {
        return apiKey.strip();
      }
      Path keyFile =
          VerifyCommand.this.keyFile != null
              ? VerifyCommand.this.keyFile
              : dataDir.resolve("dev-api-key");
      if (Files.isRegularFile(keyFile)) {
        try {
          return Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
          throw new UnusableInputException("cannot read --key-file " + keyFile + ": " + e);
        }
      }
      if (required) {
        throw new UnusableInputException(
            "no API key to fetch the receipt: pass --api-key KEY or --key-file FILE ("
                + keyFile
                + " does not exist)");
      }
      return null;
    }

    private static byte[] read(Path file) throws UnusableInputException {
      try (InputStream in = Files.newInputStream(file)) {
        return in.readNBytes(ReceiptVerifier.MAX_BYTES + 1); // the verifier refuses larger ones
      } catch (IOException e) {
        throw new UnusableInputException("cannot read " + file + ": " + e.getMessage());
      }
    }

    private static Path pathOrNull(String value) {
      try {
        return Path.of(value);
      } catch (InvalidPathException e) {
        return null;
      }
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
    }
  }
}
