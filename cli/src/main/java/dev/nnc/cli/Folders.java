package dev.nnc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The output folders of the commands. No picocli class here: {@code train}'s usual forms run
 * without picocli ({@link QuickDispatch}), and a class that throws picocli's exceptions makes the
 * verifier load them.
 */
final class Folders {
  private Folders() {}

  /**
   * Creates {@code directory} if needed and writes and deletes a probe file in it, so that a
   * directory that cannot be written is reported before training, not after.
   *
   * @throws dev.nnc.pipeline.UserInputException naming the directory and why
   */
  static void requireWritable(Path directory) {
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
