package dev.nnc.cli;

import dev.nnc.ir.DataSource;
import dev.nnc.ir.Model;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Csv;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Datasets;
import dev.nnc.runtime.data.Idx;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The rows {@code nnc predict} runs on, raw (before powers and standardisation), from the same
 * kinds of files as a train block's {@code data}: an {@code .npz} with an inputs member and
 * optionally a targets or labels member, a numeric CSV (the input columns, optionally followed by
 * the target columns or one label column), or MNIST IDX images with their labels file.
 *
 * @param source the file, for messages
 * @param rows number of rows
 * @param x raw inputs, {@code rows × rawInputWidth}
 * @param labelled the same rows with their targets or labels, or null when the file has none
 */
record PredictionData(String source, int rows, double[] x, Dataset labelled) {

  /** How the data file is given on the command line. */
  record Request(
      Path file,
      Path labels,
      String inputMember,
      String targetMember,
      Double scale,
      boolean header) {}

  static PredictionData load(Request request, Model model, NetworkSpec spec) {
    Path file = request.file();
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean wantsLabels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    try {
      PredictionData data;
      if (name.endsWith(".npz")) {
        data = fromNpz(request, spec, wantsLabels);
      } else if (name.endsWith(".csv") || name.endsWith(".txt")) {
        data = fromCsv(request, spec, wantsLabels);
      } else if (request.labels() != null) {
        double scale = request.scale() != null ? request.scale() : trainingScale(model);
        Dataset dataset = Idx.read(file, request.labels(), scale, 0);
        data = new PredictionData(dataset.source(), dataset.rows(), dataset.x(), dataset);
      } else {
        throw new UserInputException(
            "nnc: --data "
                + file
                + ": give an .npz, a .csv, or IDX images"
                + " with --labels LABELS (the IDX labels file)");
      }
      int width = data.x().length / Math.max(1, data.rows());
      if (data.rows() > 0 && width != spec.rawInputWidth()) {
        throw new UserInputException(
            "nnc: "
                + data.source()
                + ": rows have "
                + width
                + " input values, but the network's input '"
                + spec.inputName()
                + "' takes "
                + spec.rawInputWidth());
      }
      if (data.labelled() != null) {
        Datasets.checkFinite(data.labelled());
        checkTargets(data.labelled(), spec);
      }
      return data;
    } catch (NoSuchFileException e) {
      throw new UserInputException("nnc: cannot read " + e.getFile() + ": no such file");
    } catch (IOException e) {
      throw new UserInputException("nnc: cannot read " + file + ": " + e.getMessage());
    } catch (DataFormatException | IllegalStateException e) {
      throw new UserInputException("nnc: " + e.getMessage());
    }
  }

  /**
   * The {@code scale} of the train block's IDX data (so MNIST pixels are scaled as in training), or
   * 1.
   */
  private static double trainingScale(Model model) {
    return model
        .train()
        .flatMap(train -> train.source())
        .filter(source -> source instanceof DataSource.Idx)
        .map(source -> ((DataSource.Idx) source).scale())
        .orElse(1.0);
  }

  private static PredictionData fromNpz(Request request, NetworkSpec spec, boolean wantsLabels)
      throws IOException {
    Path file = request.file();
    String fileName = file.getFileName().toString();
    Map<String, NpyArray> arrays = Npz.read(file);
    String inputMember =
        request.inputMember() != null
            ? request.inputMember()
            : firstPresent(arrays, spec.inputName(), "x", "X");
    String targetMember =
        request.targetMember() != null
            ? request.targetMember()
            : firstPresentOrNull(arrays, spec.targetName(), "y", "Y");
    if (targetMember != null) {
      Dataset dataset = Datasets.fromNpz(arrays, fileName, inputMember, targetMember, wantsLabels);
      return new PredictionData(fileName, dataset.rows(), dataset.x(), dataset);
    }
    NpyArray inputs = Npz.member(arrays, fileName, inputMember);
    if (inputs.ndim() != 2) {
      throw new DataFormatException(
          fileName
              + ": member '"
              + inputMember
              + "': shape "
              + inputs.shapeText()
              + ", expected (rows, "
              + spec.rawInputWidth()
              + ")");
    }
    return new PredictionData(fileName, inputs.shape()[0], inputs.data(), null);
  }

  private static String firstPresent(Map<String, NpyArray> arrays, String... names) {
    String found = firstPresentOrNull(arrays, names);
    return found != null ? found : names[0];
  }

  private static String firstPresentOrNull(Map<String, NpyArray> arrays, String... names) {
    for (String name : names) {
      if (arrays.containsKey(name)) {
        return name;
      }
    }
    return null;
  }

  private static PredictionData fromCsv(Request request, NetworkSpec spec, boolean wantsLabels)
      throws IOException {
    Path file = request.file();
    int fields = firstRowFields(file, request.header());
    int inputs = spec.rawInputWidth();
    int targets = wantsLabels ? 1 : spec.targetWidth();
    if (fields == inputs) {
      Dataset dataset = Csv.read(file, inputs, 0, false, request.header());
      return new PredictionData(dataset.source(), dataset.rows(), dataset.x(), null);
    }
    if (fields != inputs + targets) {
      throw new DataFormatException(
          file.getFileName()
              + ": rows have "
              + fields
              + " fields; the"
              + " network takes "
              + inputs
              + (inputs == 1 ? " input column" : " input columns")
              + ", optionally followed by "
              + (wantsLabels
                  ? "one label column"
                  : targets + (targets == 1 ? " target column" : " target columns")));
    }
    Dataset dataset = Csv.read(file, inputs, targets, wantsLabels, request.header());
    return new PredictionData(dataset.source(), dataset.rows(), dataset.x(), dataset);
  }

  /** Fields of the first data line (after a header line when {@code header}), for the layout. */
  private static int firstRowFields(Path file, boolean header) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      boolean skipped = !header;
      while ((line = reader.readLine()) != null) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        if (!skipped) {
          skipped = true;
          continue;
        }
        return text.split(",", -1).length;
      }
    }
    throw new DataFormatException(file.getFileName() + ": no rows");
  }

  private static void checkTargets(Dataset data, NetworkSpec spec) {
    if (data.hasLabels()) {
      for (int r = 0; r < data.rows(); r++) {
        int label = data.labels()[r];
        if (label < 0 || label >= spec.targetWidth()) {
          throw new UserInputException(
              "nnc: "
                  + data.source()
                  + ": row "
                  + (r + 1)
                  + ": label "
                  + label
                  + " is outside 0.."
                  + (spec.targetWidth() - 1)
                  + " (the output has "
                  + spec.targetWidth()
                  + (spec.targetWidth() == 1 ? " class)" : " classes)"));
        }
      }
    } else if (data.targetWidth() != spec.targetWidth()) {
      throw new UserInputException(
          "nnc: "
              + data.source()
              + ": rows have "
              + data.targetWidth()
              + " target values, but '"
              + spec.targetName()
              + "' is "
              + spec.targetWidth()
              + " wide");
    }
  }
}
