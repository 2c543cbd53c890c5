package dev.pinaivu.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the coordinator stack is built from: the enclave image built by {@code build-enclave.sh},
 * its measurements from {@code pcrs.json}, the run script, the gateway's jars, and the instance's
 * shape.
 *
 * @param eifPath coordinator.eif (required, a file)
 * @param runScript coordinator-enclave/enclave/run-enclave.sh (required, a file)
 * @param gatewayJar cli/target/pinaivu.jar (required, a file with a {@code lib/} directory of jars
 *     beside it)
 * @param pcr0 PCR0 of the image: 96 lowercase hex characters, not all zeros (debug mode)
 * @param pcr1 PCR1, or null to leave it out of the key policy
 * @param pcr2 PCR2, or null to leave it out of the key policy
 * @param instanceType an enclave-capable x86_64 type with at least 4 vCPUs, e.g. m6i.xlarge
 * @param enclaveCpus vCPUs set aside for the enclave (even, at least 2, fewer than the instance's)
 * @param enclaveMemoryMib memory set aside for the enclave, in MiB
 * @param logOrigin the transparency log's name, or null for the default; it must equal the
 *     LOG_ORIGIN the enclave image was built with (build-enclave.sh, ADR 15), since the gateway and
 *     the coordinator sign and check the same checkpoints
 */
public record CoordinatorProps(
    Path eifPath,
    Path runScript,
    Path gatewayJar,
    String pcr0,
    String pcr1,
    String pcr2,
    String instanceType,
    int enclaveCpus,
    int enclaveMemoryMib,
    String logOrigin) {

  public static final String DEFAULT_INSTANCE_TYPE = "m6i.xlarge";
  public static final int DEFAULT_ENCLAVE_CPUS = 2;
  public static final int DEFAULT_ENCLAVE_MEMORY_MIB = 2048;
  public static final String DEFAULT_LOG_ORIGIN = "local.pinaivu.dev/receipts";

  private static final String BUILD_GATEWAY = "./mvnw -B -pl cli -am package -DskipTests";

  private static final Pattern PCR = Pattern.compile("[0-9a-f]{96}");
  // m6g, c7gn, r8gd...: a "g" right after the generation marks an arm64 family
  private static final Pattern GRAVITON = Pattern.compile("[a-z]+\\d+g[a-z]*\\..*");
  private static final Pattern ALL_ZEROS = Pattern.compile("0{96}");
  // family.size, e.g. m6i.xlarge, c6a.4xlarge, m7g.metal
  private static final Pattern INSTANCE_TYPE =
      Pattern.compile("[a-z][a-z0-9-]*\\.(?:(\\d*)xlarge|metal(?:-\\d+xl)?|[a-z0-9]+)");

  public CoordinatorProps {
    eifPath =
        requireFile(
            eifPath,
            "eifPath",
            "the enclave image coordinator.eif built by coordinator-enclave/enclave/build-enclave.sh");
    runScript = requireFile(runScript, "runScript", "coordinator-enclave/enclave/run-enclave.sh");
    gatewayJar = requireGateway(gatewayJar);
    logOrigin = logOrigin == null ? DEFAULT_LOG_ORIGIN : requireLogOrigin(logOrigin);
    pcr0 = requirePcr("pcr0", pcr0);
    if (pcr1 != null) {
      pcr1 = requirePcr("pcr1", pcr1);
    }
    if (pcr2 != null) {
      pcr2 = requirePcr("pcr2", pcr2);
    }
    if (instanceType == null || instanceType.isBlank()) {
      instanceType = DEFAULT_INSTANCE_TYPE;
    }
    Matcher type = INSTANCE_TYPE.matcher(instanceType);
    if (!type.matches()) {
      throw new IllegalArgumentException(
          "instanceType must look like m6i.xlarge, was '" + instanceType + "'");
    }
    if (GRAVITON.matcher(instanceType).matches()) {
      throw new IllegalArgumentException(
          "instanceType "
              + instanceType
              + " is arm64 (Graviton): the stack's AMI and the enclave image are x86_64");
    }
    if (enclaveCpus < 2 || enclaveCpus % 2 != 0) {
      throw new IllegalArgumentException(
          "enclaveCpus must be an even number >= 2 (whole cores), was " + enclaveCpus);
    }
    int vcpus = vcpus(type);
    if (vcpus > 0 && vcpus < 4) {
      throw new IllegalArgumentException(
          "instanceType " + instanceType + " is too small: Nitro Enclaves need at least 4 vCPUs");
    }
    if (vcpus > 0 && enclaveCpus >= vcpus) {
      throw new IllegalArgumentException(
          "enclaveCpus "
              + enclaveCpus
              + " leaves nothing for the parent on "
              + instanceType
              + " ("
              + vcpus
              + " vCPUs)");
    }
    if (enclaveMemoryMib < 512) {
      throw new IllegalArgumentException(
          "enclaveMemoryMib must be at least 512 (the enclave's file system, JRE and heap live"
              + " in it), was "
              + enclaveMemoryMib);
    }
  }

  /** The measurements the key policy pins, by condition key suffix (PCR0 first). */
  public Map<String, String> pinnedPcrs() {
    Map<String, String> pcrs = new LinkedHashMap<>();
    pcrs.put("PCR0", pcr0);
    if (pcr1 != null) {
      pcrs.put("PCR1", pcr1);
    }
    if (pcr2 != null) {
      pcrs.put("PCR2", pcr2);
    }
    return pcrs;
  }

  // vCPUs of a size we can tell from its name (xlarge = 4, Nxlarge = 4N), 0 for metal; -1 for
  // large and smaller, which have 2 or fewer.
  private static int vcpus(Matcher type) {
    if (type.group(0).contains(".metal")) {
      return 0;
    }
    if (type.group(0).endsWith("xlarge")) {
      String times = type.group(1);
      return 4 * (times == null || times.isEmpty() ? 1 : Integer.parseInt(times));
    }
    return 2;
  }

  private static Path requireFile(Path path, String name, String what) {
    if (path == null) {
      throw new IllegalArgumentException(name + " is required: the path to " + what);
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          name + " " + path + " is not a file: it must be the path to " + what);
    }
    return path.toAbsolutePath().normalize();
  }

  private static Path requireGateway(Path jar) {
    Path file = requireFile(jar, "gatewayJar", "cli/target/pinaivu.jar, built by " + BUILD_GATEWAY);
    Path lib = file.resolveSibling("lib");
    boolean hasJars;
    try (Stream<Path> files = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
      hasJars = files.anyMatch(f -> f.getFileName().toString().endsWith(".jar"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!hasJars) {
      throw new IllegalArgumentException(
          "gatewayJar "
              + file
              + " has no lib/ directory of jars beside it: build the gateway with "
              + BUILD_GATEWAY);
    }
    return file;
  }

  // A C2SP note key name (as core's NoteText checks it), and nothing the gateway's systemd unit
  // would read as a specifier, variable, quote or escape.
  private static String requireLogOrigin(String origin) {
    if (origin.isBlank() || origin.indexOf('\n') >= 0 || origin.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "logOrigin must be one non-blank line, was '" + origin + "'");
    }
    boolean bad =
        origin
            .codePoints()
            .anyMatch(c ->
                c == '+'
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.isISOControl(c)
                    || "%$'\"\\".indexOf(c) >= 0);
    if (bad) {
      throw new IllegalArgumentException(
          "logOrigin '"
              + origin
              + "' must have no space, '+', control character, quote, backslash, '%' or '$'"
              + " (it is the checkpoints' key name), e.g. "
              + DEFAULT_LOG_ORIGIN);
    }
    return origin;
  }

  private static String requirePcr(String name, String value) {
    if (value == null || !PCR.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name
              + " must be 96 lowercase hex characters (SHA-384, as in pcrs.json), was "
              + (value == null ? "missing" : "'" + value + "'"));
    }
    if (ALL_ZEROS.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name
              + " is all zeros, the value of a debug-mode enclave whose memory the parent can"
              + " read: pin a release build's measurement");
    }
    return value;
  }
}
