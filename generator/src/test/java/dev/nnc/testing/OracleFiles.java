package dev.nnc.testing;

import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PyTorch oracle's {@code .npz} files, the project's {@code testdata/oracle} and {@code
 * testdata/oracle-conv} (see {@code testdata/README.md}). The folder is found by walking up from
 * the working directory to the repository root, since Maven runs each module's tests in the
 * module's folder.
 */
public final class OracleFiles {
  private static final Map<String, Map<String, NpyArray>> CACHE = new ConcurrentHashMap<>();

  private OracleFiles() {}

  /** The oracle folder, or an {@link IllegalStateException} naming where it was looked for. */
  public static Path directory() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("testdata/oracle");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no testdata/oracle above " + start + ": the oracle files are missing");
  }

  /** Whether the file {@code <name>.npz} exists (e.g. {@code S4_train}; S2 has no train file). */
  public static boolean exists(String name) {
    return Files.isRegularFile(directory().resolve(name + ".npz"))
        || Files.isRegularFile(directory().resolveSibling("oracle-conv").resolve(name + ".npz"));
  }

  /** The arrays of {@code <name>.npz} (e.g. {@code "S5_init"}), read once and cached. */
  public static Map<String, NpyArray> load(String name) {
    return CACHE.computeIfAbsent(
        name,
        key -> {
          Path file = directory().resolve(key + ".npz");
          Path conv = directory().resolveSibling("oracle-conv").resolve(key + ".npz");
          if (!Files.isRegularFile(file) && Files.isRegularFile(conv)) {
            file = conv; // C1, C2: the convolutional networks
          }
          try {
            return Map.copyOf(Npz.read(file));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read oracle file " + file, e);
          }
        });
  }

  /** One array of {@code <name>.npz}; fails with the names that do exist when it is missing. */
  public static NpyArray array(String name, String array) {
    NpyArray value = load(name).get(array);
    if (value == null) {
      throw new IllegalArgumentException(
          name + ".npz has no array '" + array + "', only " + load(name).keySet());
    }
    return value;
  }
}
