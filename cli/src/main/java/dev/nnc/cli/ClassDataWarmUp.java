package dev.nnc.cli;

import dev.nnc.emit.BuildFingerprint;
import dev.nnc.emit.ClassCache;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.data.Idx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run the launcher makes right after a build, with {@code -XX:ArchiveClassesAtExit} (on JDK 25
 * and newer {@code -XX:AOTMode=record}, for the AOT cache), so that the class-data sharing archive
 * holds the classes of the common commands before their first run: a check, an explain, the help,
 * training runs of two epochs (on inline rows and on gzipped IDX files) and two predictions (the
 * first after javac, the second from the class cache) of a small network, all in a temporary folder
 * (its own class cache too; only the build's fingerprint goes into the user's). Prints nothing;
 * exits 0 when every command did.
 */
final class ClassDataWarmUp {
  private static final String NETWORK =
      """
      network WarmUp {
          input   x[2]
          dense   hidden[4]  tanh     init xavier()
          dense   out[1]     sigmoid  init xavier()
          target  t[1]
          loss    binary_cross_entropy(out, t)
      }
      train {
          optimizer sgd(lr = 0.5)
          batch     full
          epochs    2
          seed      1
          data inline {
              x = [[0, 0], [0, 1], [1, 0], [1, 1]]
              t = [[0], [1], [1], [0]]
          }
      }
      """;

  /**
   * A network shaped like Nielsen's sample (normal inits, one-hot squared error, minibatches) on
   * gzipped IDX files, so that the archive also holds the classes of reading MNIST.
   */
  private static final String IDX_NETWORK =
      """
      network WarmUpIdx {
          input   x[4]
          dense   hidden[3]  sigmoid  init normal(0, 1)  bias init normal(0, 1)
          dense   out[2]     sigmoid  init normal(0, 1)  bias init normal(0, 1)
          label   y
          loss    squared_error(out, onehot(y)) reduce half_batch_mean
      }
      train {
          optimizer sgd(lr = 3.0)
          batch     2 shuffle
          epochs    2
          seed      1
          data      idx("images.gz", "labels.gz") scale 1/255
          validate  idx("images.gz", "labels.gz") scale 1/255
      }
      """;

  private ClassDataWarmUp() {}

  public static void main(String[] args) throws IOException {
    // the build's fingerprint, remembered in the user's class cache: the first command after the
    // build does not read the jar's 2,400 entries for it
    ClassCache.forUser().ifPresent(cache -> BuildFingerprint.current(cache.folder()));
    Path folder = Files.createTempDirectory("nnc-warm-up");
    int failed = 0;
    try {
      Path nn = Files.writeString(folder.resolve("warm-up.nn"), NETWORK, StandardCharsets.UTF_8);
      Path csv =
          Files.writeString(
              folder.resolve("rows.csv"), "0,0,0\n0,1,1\n1,0,1\n1,1,0\n", StandardCharsets.UTF_8);
      Path idx = Files.writeString(folder.resolve("warm-up-idx.nn"), IDX_NETWORK);
      Idx.write(
          folder.resolve("images.gz"),
          folder.resolve("labels.gz"),
          2,
          2,
          new int[] {0, 255, 255, 0, 255, 0, 0, 255, 0, 0, 255, 255, 255, 255, 0, 0},
          new int[] {0, 1, 0, 1},
          true);
      CompiledModel.useCache(new ClassCache(folder.resolve("cache")));
      String runs = folder.resolve("runs").toString();
      String weights = folder.resolve("runs").resolve("WarmUp.npz").toString();
      String[][] commands = {
        {"--help"},
        {"check", nn.toString()},
        {"explain", nn.toString()},
        {"train", nn.toString(), "--out", runs, "--plot", "none", "--progress", "lines"},
        {"train", idx.toString(), "--out", runs, "--plot", "none", "--progress", "lines"},
        {"predict", nn.toString(), "--weights", weights, "--data", csv.toString()},
        {"predict", nn.toString(), "--weights", weights, "--data", csv.toString(), "--limit", "2"},
      };
      for (String[] command : commands) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        if (Main.run(nowhere, nowhere, command) != Main.OK) {
          failed++;
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
    System.exit(failed == 0 ? Main.OK : Main.FAILED);
  }
}
