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
      String logOrigin) {
    return fill(
        template(),
        Map.of(
            "REGION", region,
            "EIF_URL", eifUrl,
            "RUN_SCRIPT_URL", runScriptUrl,
            "GATEWAY_URL", gatewayUrl,
            "IDENTITY_PARAMETER", identityParameter,
            "ENCLAVE_CPUS", Integer.toString(enclaveCpus),
            "ENCLAVE_MEMORY_MIB", Integer.toString(enclaveMemoryMib),
            "IDENTITY_FILE", IDENTITY_FILE,
            "LOG_TABLE", logTable,
            "LOG_ORIGIN", logOrigin));
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
