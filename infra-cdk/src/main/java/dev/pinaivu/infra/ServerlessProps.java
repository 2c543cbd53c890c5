package dev.pinaivu.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The serverless stack's inputs.
 *
 * @param functionsPackage the Lambda deployment package {@code functions/target/
 *     pinaivu-functions-<version>-lambda.zip} ({@code ./mvnw -DskipTests package} makes it)
 * @param tablePrefix the network table is {@code <prefix>network}; a second deployment in the same
 *     account takes another prefix
 * @param logTableName the transparency log's table (the coordinator stack's output), or null for a
 *     deployment that serves no log (then receipts carry only their index and {@code /v1/log} is
 *     not routed)
 * @param logOrigin the log's origin line, with {@code logTableName}
 * @param coordinatorAddress {@code host:port} of the coordinator's parent the chat function calls
 *     (ADR 27), or null for a deployment without chat (nothing can sign dispatch tokens then)
 */
record ServerlessProps(
    Path functionsPackage,
    String tablePrefix,
    String logTableName,
    String logOrigin,
    String coordinatorAddress) {
  static final String DEFAULT_PREFIX = "pinaivu-";

  ServerlessProps {
    Objects.requireNonNull(functionsPackage, "functionsPackage");
    if (!Files.isRegularFile(functionsPackage)) {
      throw new IllegalArgumentException(
          "no Lambda package at "
              + functionsPackage
              + ": build it with ./mvnw -DskipTests package (functions/target/*-lambda.zip)");
    }
    tablePrefix = tablePrefix == null ? DEFAULT_PREFIX : tablePrefix;
    if (!tablePrefix.matches("[A-Za-z0-9_.-]{1,200}")) {
      throw new IllegalArgumentException(
          "tablePrefix: letters, digits, _ . - only: " + tablePrefix);
    }
    if (coordinatorAddress != null && !coordinatorAddress.matches("[A-Za-z0-9.-]+:[0-9]{1,5}")) {
      throw new IllegalArgumentException(
          "coordinatorAddress is not host:port: " + coordinatorAddress);
    }
    if ((logTableName == null) != (logOrigin == null)) {
      throw new IllegalArgumentException("give logTableName and logOrigin together, or neither");
    }
  }

  ServerlessProps(Path functionsPackage, String tablePrefix, String logTableName, String origin) {
    this(functionsPackage, tablePrefix, logTableName, origin, null);
  }

  boolean servesLog() {
    return logTableName != null;
  }

  boolean servesChat() {
    return coordinatorAddress != null;
  }
}
