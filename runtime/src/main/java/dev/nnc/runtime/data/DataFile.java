package dev.nnc.runtime.data;

import dev.nnc.runtime.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A data file a {@code .nn} file's {@code train} block names ({@code data csv(…)}, {@code validate
 * npz(…)}, {@code data idx(…)}), as the runtime reads it. Paths are as written; {@link #read}
 * resolves them against a folder (the {@code .nn} file's, as {@code nnc train} does; an absolute
 * path stays as it is).
 */
public sealed interface DataFile {

  /** At most this many rows, the first ones; 0 = all. */
  int rows();

  /** The path as written (the images' path for IDX). */
  String file();

  /**
   * {@code csv("file.csv") header}: numeric columns, the inputs first, then the target columns (or
   * one label column).
   */
  record Csv(String file, boolean header, int rows) implements DataFile {}

  /**
   * {@code npz("file.npz", x = "X", y = "y")}: members for the inputs and the targets or labels.
   */
  record Npz(String file, String inputMember, String targetMember, int rows) implements DataFile {}

  /** {@code idx("images.gz", "labels.gz") scale 1/255}: MNIST's IDX format, gzipped or not. */
  record Idx(String images, String labels, double scale, int rows) implements DataFile {
    @Override
    public String file() {
      return images;
    }
  }

  /**
   * The raw rows (before powers and standardisation) of this file, resolved against {@code folder}
   * (null: the working directory), checked against {@code spec}: finite values, the raw input
   * width, labels or dense targets as declared, labels within the classes, the target width.
   *
   * @throws IOException when a file cannot be read ({@link java.nio.file.NoSuchFileException} when
   *     it does not exist)
   * @throws DataFormatException when its contents do not fit, naming the file, record and field
   */
  default Dataset read(Path folder, NetworkSpec spec) throws IOException {
    boolean labels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    Dataset data;
    // said before loading: what the rows need against what the heap has (NN807)
    if (this instanceof Idx idx
        && rows() == 0
        && Files.isRegularFile(resolve(folder, idx.images()))) {
      DataMemory.check(idx.images(), DataMemory.idxValues(resolve(folder, idx.images())));
    } else if (this instanceof Npz npz && Files.isRegularFile(resolve(folder, npz.file()))) {
      DataMemory.check(npz.file(), DataMemory.npzValues(resolve(folder, npz.file())));
    }
    try {
      data = readRows(folder, spec, labels);
    } catch (OutOfMemoryError e) {
      Path path = resolve(folder, file());
      throw DataMemory.outOfMemory(file(), Files.isRegularFile(path) ? Files.size(path) : 0);
    }
    Datasets.checkFinite(data);
    checkFits(data, spec);
    return data;
  }

  private Dataset readRows(Path folder, NetworkSpec spec, boolean labels) throws IOException {
    Dataset data;
    if (this instanceof Idx idx) {
      data =
          dev.nnc.runtime.data.Idx.read(
              resolve(folder, idx.images()), resolve(folder, idx.labels()), idx.scale(), rows());
    } else if (this instanceof Npz npz) {
      data =
          Datasets.fromNpz(
              dev.nnc.runtime.data.Npz.read(resolve(folder, npz.file())),
              npz.file(),
              npz.inputMember(),
              npz.targetMember(),
              labels);
    } else {
      Csv csv = (Csv) this;
      data =
          dev.nnc.runtime.data.Csv.read(
              resolve(folder, csv.file()),
              spec.rawInputWidth(),
              labels ? 1 : spec.targetWidth(),
              labels,
              csv.header());
    }
    if (!(this instanceof Idx) && rows() > 0) {
      data = Datasets.head(data, Math.min(rows(), data.rows()));
    }
    return data;
  }

  /**
   * The hint for a first record that reads 0, 1, 2, … or 1, 2, 3, …: a header of column numbers.
   */
  String HEADER_HINT =
      "; the first record reads like a header of column numbers (0, 1, 2, …): if it is one, write"
          + " csv(\"…\", header)";

  /**
   * Whether the first record's values (inputs, then its label or targets) are consecutive whole
   * numbers from 0 or 1, as numpy and pandas write column numbers into a header.
   */
  private static boolean columnNumbers(Dataset data) {
    if (data.rows() == 0 || data.inputWidth() < 2) {
      return false;
    }
    double first = data.x()[0];
    if (first != 0 && first != 1) {
      return false;
    }
    for (int c = 1; c < data.inputWidth(); c++) {
      if (data.x()[c] != first + c) {
        return false;
      }
    }
    return !data.hasLabels() || data.labels()[0] == first + data.inputWidth();
  }

  /** {@code path} against {@code folder} (null: as it is, relative to the working directory). */
  private static Path resolve(Path folder, String path) {
    return folder == null ? Path.of(path) : folder.resolve(path);
  }

  /**
   * Refuses raw rows that {@code spec}'s network cannot take: the raw input width, labels or dense
   * targets as declared, every label within the classes, the target width.
   *
   * @throws DataFormatException naming the data's source and what was expected
   */
  static void checkFits(Dataset data, NetworkSpec spec) {
    if (data.inputWidth() != spec.rawInputWidth()) {
      throw new DataFormatException(
          data.source()
              + ": rows have "
              + data.inputWidth()
              + " input values, but the network's input '"
              + spec.inputName()
              + "' takes "
              + spec.rawInputWidth());
    }
    if (data.hasLabels() != (spec.targetKind() == NetworkSpec.TargetKind.LABELS)) {
      throw new DataFormatException(
          data.source()
              + ": the data has "
              + (data.hasLabels() ? "integer labels" : "dense targets")
              + ", but '"
              + spec.targetName()
              + "' is declared as "
              + (data.hasLabels() ? "a target" : "a label"));
    }
    if (data.hasLabels()) {
      for (int r = 0; r < data.rows(); r++) {
        int label = data.labels()[r];
        if (label < 0 || label >= spec.targetWidth()) {
          throw new DataFormatException(
              data.source()
                  + ": record "
                  + (r + 1)
                  + ": label "
                  + label
                  + " is outside 0.."
                  + (spec.targetWidth() - 1)
                  + " (the output has "
                  + spec.targetWidth()
                  + (spec.targetWidth() == 1 ? " class)" : " classes)")
                  + (r == 0 && columnNumbers(data) ? HEADER_HINT : ""),
              "NN804",
              null);
        }
      }
    } else if (data.targetWidth() != spec.targetWidth()) {
      throw new DataFormatException(
          data.source()
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
