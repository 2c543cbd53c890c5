package dev.pinaivu.coordinator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pinaivu.core.attestation.AttestationDocument;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A test fixture, not KMS: a loopback HTTP server that speaks KMS's JSON protocol ({@code
 * X-Amz-Target: TrentService.Encrypt|Decrypt}, {@code application/x-amz-json-1.1}) for one key. It
 * keeps plaintexts in memory under opaque blob ids, checks the encryption context and key id on
 * Decrypt, and answers a Decrypt with a Recipient as KMS does: {@code CiphertextForRecipient}, a
 * CMS envelope built with BouncyCastle for the RSA key in the attestation document's {@code
 * public_key}. It does not check the document's signature (KMS does); {@link #requirePcr0} mimics a
 * key policy on {@code kms:RecipientAttestation:ImageSha384}.
 */
public final class KmsTestServer implements AutoCloseable {
  public static final String KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/test-sealing-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Sealed(byte[] plaintext, JsonNode context) {}

  private final HttpServer server;
  private final Map<String, Sealed> blobs = new ConcurrentHashMap<>();
  private final AtomicLong nextBlob = new AtomicLong();
  private final List<JsonNode> encryptRequests = new CopyOnWriteArrayList<>();
  private final List<JsonNode> decryptRequests = new CopyOnWriteArrayList<>();
  private final List<JsonNode> generateRequests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile String requiredPcr0;
  private volatile boolean plaintextInsteadOfEnvelope;
  private volatile byte[] envelopeKeyOverride;

  public KmsTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The real AWS SDK client the enclave uses, pointed at this fixture with test credentials. */
  public KmsClient client() {
    return EnclaveKms.client(
        endpoint(),
        Region.EU_WEST_1,
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDTESTFIXTURE", "test-secret")));
  }

  /** The Authorization headers seen, in order: SigV4 names the access key id that signed. */
  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  public List<JsonNode> encryptRequests() {
    return List.copyOf(encryptRequests);
  }

  public List<JsonNode> decryptRequests() {
    return List.copyOf(decryptRequests);
  }

  List<JsonNode> generateRequests() {
    return List.copyOf(generateRequests);
  }

  /** How many Encrypt calls were answered. */
  public long encrypts() {
    return nextBlob.get() - generateRequests.size();
  }

  /** Refuse Decrypt (AccessDeniedException) unless the document's PCR0 is {@code hex}. */
  public void requirePcr0(String hex) {
    requiredPcr0 = hex;
  }

  /** Misbehave: answer with Plaintext, as KMS does for a Decrypt without a Recipient. */
  void answerWithPlaintext() {
    plaintextInsteadOfEnvelope = true;
  }

  /** Misbehave: seal the answer to this RSA key instead of the one in the document. */
  void envelopeFor(byte[] spki) {
    envelopeKeyOverride = spki;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.add(authorization);
      }
      if (!"POST".equals(exchange.getRequestMethod())
          || exchange.getRequestHeaders().getFirst("Authorization") == null) {
        reply(exchange, 400, error("IncompleteSignatureException", "unsigned request"));
      } else if ("TrentService.Encrypt".equals(target)) {
        encryptRequests.add(body);
        reply(exchange, 200, encrypt(body));
      } else if ("TrentService.Decrypt".equals(target)) {
        decryptRequests.add(body);
        decrypt(exchange, body);
      } else if ("TrentService.GenerateDataKey".equals(target)) {
        generateRequests.add(body);
        generateDataKey(exchange, body);
      } else {
        reply(exchange, 400, error("UnknownOperationException", String.valueOf(target)));
      }
    }
  }

  private ObjectNode encrypt(JsonNode body) {
    String blob = "fixture-blob-" + nextBlob.incrementAndGet();
    byte[] plaintext = Base64.getDecoder().decode(body.path("Plaintext").asText());
    blobs.put(blob, new Sealed(plaintext, body.path("EncryptionContext")));
    ObjectNode out = JSON.createObjectNode();
    out.put("KeyId", KEY_ARN);
    out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    out.put(
        "CiphertextBlob",
        Base64.getEncoder().encodeToString(blob.getBytes(StandardCharsets.US_ASCII)));
    return out;
  }

  /** A new random data key, sealed under the context, revealed only in a Recipient envelope. */
  private void generateDataKey(HttpExchange exchange, JsonNode body) throws IOException {
    if (body.path("Recipient").isMissingNode()) {
      reply(
          exchange, 400, error("AccessDeniedException", "this fixture's policy needs a Recipient"));
      return;
    }
    byte[] plaintext = new byte[body.path("NumberOfBytes").asInt()];
    RANDOM.nextBytes(plaintext);
    String blob = "fixture-blob-" + nextBlob.incrementAndGet();
    blobs.put(blob, new Sealed(plaintext, body.path("EncryptionContext")));
    ObjectNode out = JSON.createObjectNode();
    out.put("KeyId", KEY_ARN);
    out.put(
        "CiphertextBlob",
        Base64.getEncoder().encodeToString(blob.getBytes(StandardCharsets.US_ASCII)));
    answerToRecipient(exchange, body.path("Recipient"), plaintext, out);
  }

  private void decrypt(HttpExchange exchange, JsonNode body) throws IOException {
    String blob =
        new String(
            Base64.getDecoder().decode(body.path("CiphertextBlob").asText()),
            StandardCharsets.US_ASCII);
    Sealed sealed = blobs.get(blob);
    if (sealed == null || !sealed.context().equals(body.path("EncryptionContext"))) {
      reply(exchange, 400, error("InvalidCiphertextException", null));
      return;
    }
    if (!body.path("KeyId").asText().equals(KEY_ARN)) {
      reply(
          exchange,
          400,
          error("IncorrectKeyException", "the ciphertext was sealed by another key"));
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("KeyId", KEY_ARN);
    out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    JsonNode recipient = body.path("Recipient");
    if (plaintextInsteadOfEnvelope || recipient.isMissingNode()) {
      out.put("Plaintext", Base64.getEncoder().encodeToString(sealed.plaintext()));
      reply(exchange, 200, out);
      return;
    }
    answerToRecipient(exchange, recipient, sealed.plaintext(), out);
  }

  /** Checks the Recipient's document against the policy; the plaintext goes out in an envelope. */
  private void answerToRecipient(
      HttpExchange exchange, JsonNode recipient, byte[] plaintext, ObjectNode out)
      throws IOException {
    AttestationDocument document;
    try {
      document =
          AttestationDocument.parse(
              Base64.getDecoder().decode(recipient.path("AttestationDocument").asText()));
    } catch (Exception e) {
      reply(exchange, 400, error("ValidationException", "invalid attestation document"));
      return;
    }
    if (!"RSAES_OAEP_SHA_256".equals(recipient.path("KeyEncryptionAlgorithm").asText())) {
      reply(exchange, 400, error("ValidationException", "unsupported KeyEncryptionAlgorithm"));
      return;
    }
    String pcr0 = document.pcrHex(0).orElse("");
    if (requiredPcr0 != null && !requiredPcr0.equals(pcr0)) {
      reply(exchange, 400, error("AccessDeniedException", "kms:RecipientAttestation denied"));
      return;
    }
    byte[] spki = envelopeKeyOverride != null ? envelopeKeyOverride : document.publicKey();
    byte[] envelope = KmsEnvelopes.forRecipient(plaintext, spki);
    out.put("CiphertextForRecipient", Base64.getEncoder().encodeToString(envelope));
    reply(exchange, 200, out);
  }

  private static ObjectNode error(String type, String message) {
    ObjectNode out = JSON.createObjectNode();
    out.put("__type", type);
    if (message != null) {
      out.put("message", message);
    }
    return out;
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().set("x-amzn-RequestId", HexFormat.of().formatHex(new byte[8]));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
