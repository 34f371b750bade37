package dev.nnc.runtime;

import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the PyTorch oracle, the project's {@code testdata/oracle} (see {@code testdata/README.md}),
 * by walking up from the working directory to the repository root: Maven runs each module's tests
 * in the module's folder.
 */
public final class Oracle {
  private Oracle() {}

  /** The oracle folder; fails the test (not skips it) when it cannot be found. */
  public static Path folder() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("testdata/oracle");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("no testdata/oracle folder above " + here);
  }

  public static Path file(String name) {
    Path file = folder().resolve(name);
    if (!Files.exists(file)) {
      throw new AssertionError("no oracle file " + file);
    }
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
