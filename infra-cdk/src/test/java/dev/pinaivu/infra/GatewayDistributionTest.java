package dev.pinaivu.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayDistributionTest {

  @TempDir Path target;

  @Test
  void stage_copiesTheJarAndTheLibraryJarsOnly() throws IOException {
    Path jar = Files.writeString(target.resolve("pinaivu-0.1.jar"), "main");
    Path lib = Files.createDirectory(target.resolve("lib"));
    Files.writeString(lib.resolve("a.jar"), "a");
    Files.writeString(lib.resolve("b.jar"), "b");
    Files.writeString(lib.resolve("README.txt"), "not a jar");
    Files.createDirectory(target.resolve("classes"));

    Path staged = GatewayDistribution.stage(jar);

    assertThat(staged).isNotEqualTo(target);
    assertThat(Files.readString(staged.resolve("pinaivu.jar"))).isEqualTo("main");
    try (Stream<Path> files = Files.list(staged)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("pinaivu.jar", "lib");
    }
    try (Stream<Path> files = Files.list(staged.resolve("lib"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("a.jar", "b.jar");
    }
  }
}
