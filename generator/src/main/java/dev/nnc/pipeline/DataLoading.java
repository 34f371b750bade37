package dev.nnc.pipeline;

import dev.nnc.ir.DataSource;
import dev.nnc.ir.Model;
import dev.nnc.ir.Train;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Csv;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Datasets;
import dev.nnc.runtime.data.Idx;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the rows a {@code train} block names: inline rows, or a data file resolved against the
 * {@code .nn} file's folder. Every problem becomes a {@link UserInputException} naming the file,
 * and where the loader knows them, the record and the field.
 */
public final class DataLoading {
  private DataLoading() {}

  /** The training rows, raw (before powers and standardisation), or empty without a train block. */
  public static Optional<Dataset> training(Model model, Path nnFile) {
    Optional<Train> train = model.train();
    if (train.isEmpty()) {
      return Optional.empty();
    }
    if (train.get().source().isPresent()) {
      return Optional.of(load(train.get().source().get(), nnFile, RuntimeViews.spec(model)));
    }
    return RuntimeViews.inlineData(model);
  }

  /** The {@code validate} rows, raw, if the train block has them. */
  public static Optional<Dataset> validation(Model model, Path nnFile) {
    return model
        .train()
        .flatMap(Train::validation)
        .map(source -> load(source, nnFile, RuntimeViews.spec(model)));
  }

  /** Reads one data source; paths are relative to the folder of {@code nnFile}. */
  public static Dataset load(DataSource source, Path nnFile, NetworkSpec spec) {
    Path base = nnFile.toAbsolutePath().getParent();
    boolean labels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    int targetColumns = labels ? 1 : spec.targetWidth();
    Path shown = null;
    try {
      Dataset data;
      if (source instanceof DataSource.Idx idx) {
        shown = base.resolve(idx.images());
        data = Idx.read(shown, base.resolve(idx.labels()), idx.scale(), idx.rows());
      } else if (source instanceof DataSource.Npz npz) {
        shown = base.resolve(npz.file());
        data =
            Datasets.fromNpz(
                Npz.read(shown), npz.file(), npz.inputMember(), npz.targetMember(), labels);
        data = npz.rows() > 0 ? Datasets.head(data, Math.min(npz.rows(), data.rows())) : data;
      } else if (source instanceof DataSource.Csv csv) {
        shown = base.resolve(csv.file());
        data = Csv.read(shown, spec.rawInputWidth(), targetColumns, labels, csv.header());
        data = csv.rows() > 0 ? Datasets.head(data, Math.min(csv.rows(), data.rows())) : data;
      } else {
        throw new AssertionError(source);
      }
      Datasets.checkFinite(data);
      checkFits(data, spec);
      return data;
    } catch (NoSuchFileException e) {
      throw new UserInputException(
          where(source, nnFile) + "cannot read " + e.getFile() + ": no such file");
    } catch (IOException e) {
      throw new UserInputException(
          where(source, nnFile) + "cannot read " + shown + ": " + e.getMessage());
    } catch (DataFormatException e) {
      throw new UserInputException(where(source, nnFile) + e.getMessage());
    }
  }

  private static String where(DataSource source, Path nnFile) {
    return nnFile + ":" + source.span().line() + ":" + source.span().column() + ": error: ";
  }

  private static void checkFits(Dataset data, NetworkSpec spec) {
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
                  + (spec.targetWidth() == 1 ? " class)" : " classes)"));
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
