package dev.pinaivu.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parent instance's first-boot script: {@code user-data.sh} beside this class, with its
 * {@code @NAME@} placeholders filled in. Values may be CDK tokens (the region, asset URLs).
 */
final class CoordinatorUserData {

  static final String IDENTITY_FILE = "/var/lib/pinaivu/identity.sealed";

  /** The parent secret, root-only (ADR 16), and its blob sealed for the enclave. */
  static final String PARENT_SECRET_FILE = "/var/lib/pinaivu/secret/coordinator-secret";

  static final String PARENT_SECRET_SEALED = PARENT_SECRET_FILE + ".sealed";

  private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z_]+)@");

  private CoordinatorUserData() {}

  /**
   * @param region the sealing key's region (KMS_REGION)
   * @param eifUrl s3:// URL of coordinator.eif
   * @param runScriptUrl s3:// URL of run-enclave.sh
   * @param gatewayUrl s3:// URL of the gateway's zip (GatewayDistribution)
   * @param identityParameter the SSM parameter that keeps the sealed identity's blob
   * @param logTable the DynamoDB table the gateway keeps the log's leaves in
   * @param logOrigin the log's name, as the enclave image was built with it
   * @param sealKey the KMS key (alias) the parent seals the parent secret with
   * @param parentSecretParameter the SecureString parameter the parent keeps the parent secret in,
   *     for the chat functions (ADR 37)
   * @param parentSecretKey the KMS key (ARN) of that parameter
   */
  static String render(
      String region,
      String eifUrl,
      String runScriptUrl,
      String gatewayUrl,
      String identityParameter,
      int enclaveCpus,
      int enclaveMemoryMib,
      String logTable,
      String logOrigin,
      String sealKey,
      String parentSecretParameter,
      String parentSecretKey) {
    return fill(
        template(),
        Map.ofEntries(
            Map.entry("REGION", region),
            Map.entry("EIF_URL", eifUrl),
            Map.entry("RUN_SCRIPT_URL", runScriptUrl),
            Map.entry("GATEWAY_URL", gatewayUrl),
            Map.entry("IDENTITY_PARAMETER", identityParameter),
            Map.entry("ENCLAVE_CPUS", Integer.toString(enclaveCpus)),
            Map.entry("ENCLAVE_MEMORY_MIB", Integer.toString(enclaveMemoryMib)),
            Map.entry("IDENTITY_FILE", IDENTITY_FILE),
            Map.entry("LOG_TABLE", logTable),
            Map.entry("LOG_ORIGIN", logOrigin),
            Map.entry("PARENT_SECRET_FILE", PARENT_SECRET_FILE),
            Map.entry("PARENT_SECRET_SEALED", PARENT_SECRET_SEALED),
            Map.entry("SEAL_KEY", sealKey),
            Map.entry("PARENT_SECRET_PARAMETER", parentSecretParameter),
            Map.entry("PARENT_SECRET_KEY", parentSecretKey),
            Map.entry("FUNCTIONS_PORT", Integer.toString(FunctionsEndpoint.PORT))));
  }

  /** Every placeholder must have a value: a typo fails synth, not the instance's boot. */
  static String fill(String template, Map<String, String> values) {
    Matcher placeholder = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (placeholder.find()) {
      String value = values.get(placeholder.group(1));
      if (value == null) {
        throw new IllegalStateException("user-data.sh: no value for " + placeholder.group());
      }
      placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    placeholder.appendTail(out);
    return out.toString();
  }

  private static String template() {
    try (InputStream in = CoordinatorUserData.class.getResourceAsStream("user-data.sh")) {
      if (in == null) {
        throw new IllegalStateException("user-data.sh is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
