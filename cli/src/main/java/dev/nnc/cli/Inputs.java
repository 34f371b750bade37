package dev.nnc.cli;

import java.io.IOException;
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

  /**
   * Creates {@code directory} if needed and writes and deletes a probe file in it, so that a
   * directory that cannot be written is reported before training, not after.
   *
   * @throws dev.nnc.pipeline.UserInputException naming the directory and why
   */
  static void requireWritableDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
      Path probe = Files.createTempFile(directory, ".nnc-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      String reason =
          e instanceof java.nio.file.FileAlreadyExistsException
              ? "a file of that name exists"
              : e instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : e.toString();
      throw new dev.nnc.pipeline.UserInputException(
          "nnc: cannot write into " + directory + ": " + reason);
    }
  }
}
