package dev.pinaivu.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core stays free of transports and clouds: no AWS SDK, no HTTP server, no database driver. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.pinaivu.core");

  @Test
  void core_dependsOnNoTransportCloudOrDatabase() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "software.amazon..",
            "com.amazonaws..",
            "io.javalin..",
            "org.eclipse.jetty..",
            "jakarta.servlet..",
            "java.net.http..",
            "com.sun.net.httpserver..",
            "java.sql..",
            "org.sqlite..")
        .check(CORE);
  }

  @Test
  void core_dependsOnNoOtherPinaivuModule() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.pinaivu.gateway..",
            "dev.pinaivu.functions..",
            "dev.pinaivu.agent..",
            "dev.pinaivu.cli..")
        .check(CORE);
  }
}
