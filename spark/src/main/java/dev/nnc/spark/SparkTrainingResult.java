package dev.nnc.spark;

import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.data.AtomicFiles;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.data.Weights;
import dev.nnc.runtime.train.History;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a cluster (or local block) run leaves: the flat parameters, the fitted statistics, the
 * history, and how the rows were cut.
 *
 * @param stats the preprocessing's statistics as {@code nnc train} saves them
 */
public record SparkTrainingResult(
    String name,
    NetworkSpec spec,
    double[] parameters,
    Map<String, NpyArray> stats,
    History history,
    long rows,
    int blockRows,
    int blocks) {

  /** Weights by tensor name plus the statistics: the members of {@code nnc train}'s .npz. */
  public Map<String, NpyArray> weights() {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    for (TensorSpec tensor : spec.tensors()) {
      double[] values = new double[tensor.size()];
      System.arraycopy(parameters, tensor.offset(), values, 0, values.length);
      arrays.put(tensor.name(), new NpyArray("<f8", Weights.shape(tensor), values));
    }
    arrays.putAll(stats);
    return arrays;
  }

  /**
   * Writes {@code <Name>.npz} and {@code <Name>-history.csv} into {@code directory} (created if
   * needed), each atomically, as {@code nnc train} does.
   */
  public void write(Path directory) throws IOException {
    Files.createDirectories(directory);
    Npz.write(directory.resolve(name + ".npz"), weights());
    Path history = directory.resolve(name + "-history.csv");
    Path temp = AtomicFiles.temporarySibling(history);
    try {
      Files.writeString(temp, this.history.toCsv(), StandardCharsets.UTF_8);
      Files.move(
          temp, history, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
