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
 */
record ServerlessProps(
    Path functionsPackage, String tablePrefix, String logTableName, String logOrigin) {
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
    if ((logTableName == null) != (logOrigin == null)) {
      throw new IllegalArgumentException("give logTableName and logOrigin together, or neither");
    }
  }

  boolean servesLog() {
    return logTableName != null;
  }
}
