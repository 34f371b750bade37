package dev.nnc.cli;

import dev.nnc.pipeline.Training;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.data.Weights;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code nnc train --init WEIGHTS.npz}: training starts from given weights (fine-tuning an imported
 * or earlier model) instead of the layers' inits. When the file carries the standardisation the
 * weights were trained with ({@code x.mean}, {@code x.std}, …, as nnc train writes them), it is
 * kept, so the weights see inputs on the scale they learnt; a file without it (an import) has the
 * standardisation fitted on the new data as usual.
 */
final class InitialWeights {
  private InitialWeights() {}

  static Training.Prepared apply(
      Training.Prepared prepared, Path file, Dataset raw, Dataset rawValidation, PrintWriter out) {
    NetworkSpec spec = prepared.network().spec();
    String fileName = file.getFileName().toString();
    Map<String, NpyArray> arrays;
    try {
      arrays = Npz.read(file);
    } catch (NoSuchFileException e) {
      throw new UserInputException("nnc: --init " + file + ": no such file");
    } catch (IOException e) {
      throw new UserInputException("nnc: cannot read " + file + ": " + e.getMessage());
    } catch (DataFormatException e) {
      throw new UserInputException("nnc: --init " + e.getMessage());
    }
    double[] parameters;
    try {
      parameters = Weights.parameters(arrays, fileName, spec);
    } catch (DataFormatException e) {
      throw new UserInputException("nnc: --init " + e.getMessage());
    }
    prepared.network().setParameters(parameters);
    boolean standardizes =
        spec.inputStandardizeDdof() >= 0
            || (spec.targetKind() == NetworkSpec.TargetKind.DENSE
                && spec.targetStandardizeDdof() >= 0);
    boolean hasStats =
        arrays.keySet().stream().anyMatch(key -> key.endsWith(".mean") || key.endsWith(".std"));
    if (!standardizes || !hasStats) {
      out.println(
          "starting from the weights of "
              + file
              + (standardizes ? " (standardisation fitted on this data: the file has none)" : ""));
      return prepared;
    }
    Preprocessing saved;
    try {
      saved = Preprocessing.fromStats(spec, arrays);
    } catch (DataFormatException e) {
      throw new UserInputException("nnc: --init " + fileName + ": " + e.getMessage());
    }
    out.println("starting from the weights and the standardisation of " + file);
    return new Training.Prepared(
        prepared.network(),
        saved,
        saved.apply(raw),
        rawValidation == null ? null : saved.apply(rawValidation),
        prepared.config(),
        prepared.metrics(),
        prepared.stopping());
  }
}
