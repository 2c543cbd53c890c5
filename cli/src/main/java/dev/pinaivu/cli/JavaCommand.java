package dev.pinaivu.cli;

import java.util.ArrayList;
import java.util.List;

/** The command line that starts another Pinaivu JVM with this one's Java and classpath. */
public final class JavaCommand {
  private JavaCommand() {}

  public static List<String> of(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }
}
