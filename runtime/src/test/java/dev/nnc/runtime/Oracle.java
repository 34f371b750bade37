package dev.nnc.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the PyTorch oracle ({@code shared/oracle}) by walking up from the working directory: CI
 * clones the repository into some folder with {@code shared/} beside it, so no path is fixed.
 */
public final class Oracle {
  private Oracle() {}

  /** The oracle folder; fails the test (not skips it) when it cannot be found. */
  public static Path folder() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      for (Path candidate :
          new Path[] {dir.resolve("shared/oracle"), dir.resolve("../shared/oracle")}) {
        if (Files.isDirectory(candidate)) {
          return candidate.normalize();
        }
      }
    }
    throw new AssertionError("no shared/oracle folder above " + here);
  }

  public static Path file(String name) {
    Path file = folder().resolve(name);
    assumeTrue(Files.exists(file), "oracle file " + file);
    return file;
  }

  public static Map<String, NpyArray> read(String name) {
    try {
      return Npz.read(file(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
