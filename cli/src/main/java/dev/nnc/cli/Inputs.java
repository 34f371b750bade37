package dev.nnc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks on the paths a command is given, made before any work so a typo costs nothing. */
final class Inputs {
  private Inputs() {}

  /** A usage error (exit 2, one line and the usage) unless {@code file} is a readable file. */
  static void requireFile(CommandSpec spec, Path file, String label) {
    if (!Files.exists(file)) {
      throw new ParameterException(spec.commandLine(), label + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ParameterException(
          spec.commandLine(), label + " " + file + ": not a readable file");
    }
  }

  /** Throws a usage error (exit 2, the message and the usage). */
  static void usageError(CommandSpec spec, String message) {
    throw new ParameterException(spec.commandLine(), message);
  }
}
