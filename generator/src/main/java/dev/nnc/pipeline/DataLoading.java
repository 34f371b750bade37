package dev.nnc.pipeline;

import dev.nnc.ir.DataSource;
import dev.nnc.ir.Model;
import dev.nnc.ir.Train;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Datasets;
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

  /**
   * The rows a recipe trains and validates on, raw (before powers and standardisation): {@code
   * validation} is null without a validate statement; with {@code validate split(f)} both come from
   * the training rows (see {@link Datasets#holdOut}, seeded with the recipe's seed).
   */
  public record Rows(Dataset training, Dataset validation) {}

  /** The recipe's rows, or empty without a train block or without data. */
  public static Optional<Rows> rows(Model model, Path nnFile) {
    Optional<Train> train = model.train();
    if (train.isEmpty()) {
      return Optional.empty();
    }
    Optional<Dataset> all;
    if (train.get().source().isPresent()) {
      all = Optional.of(load(train.get().source().get(), nnFile, RuntimeViews.spec(model)));
    } else {
      all = RuntimeViews.inlineData(model);
    }
    if (all.isEmpty()) {
      return Optional.empty();
    }
    if (train.get().validationSplit() > 0) {
      try {
        Datasets.Split split =
            Datasets.holdOut(all.get(), train.get().validationSplit(), train.get().seed());
        return Optional.of(new Rows(split.first(), split.rest()));
      } catch (IllegalArgumentException e) {
        throw new UserInputException(
            nnFile
                + ":"
                + train.get().span().line()
                + ":"
                + train.get().span().column()
                + ": error: validate split: "
                + e.getMessage());
      }
    }
    Dataset validation =
        train
            .get()
            .validation()
            .map(source -> load(source, nnFile, RuntimeViews.spec(model)))
            .orElse(null);
    return Optional.of(new Rows(all.get(), validation));
  }

  /**
   * The training rows, raw (before powers and standardisation), or empty without a train block;
   * without the rows {@code validate split} holds out.
   */
  public static Optional<Dataset> training(Model model, Path nnFile) {
    return rows(model, nnFile).map(Rows::training);
  }

  /** The validation rows, raw: a {@code validate} source, or the rows a split holds out. */
  public static Optional<Dataset> validation(Model model, Path nnFile) {
    return rows(model, nnFile).map(Rows::validation);
  }

  /** Reads one data source; paths are relative to the folder of {@code nnFile}. */
  public static Dataset load(DataSource source, Path nnFile, NetworkSpec spec) {
    Path base = nnFile.toAbsolutePath().getParent();
    DataFile file = RuntimeViews.dataFile(source);
    try {
      return file.read(base, spec);
    } catch (NoSuchFileException e) {
      throw new UserInputException(
          where(source, nnFile)
              + "cannot read "
              + e.getFile()
              + ": no such file (paths are relative to the folder of the .nn file) [NN808]");
    } catch (IOException e) {
      throw new UserInputException(
          where(source, nnFile)
              + "cannot read "
              + base.resolve(file.file())
              + ": "
              + e.getMessage());
    } catch (DataFormatException e) {
      // the codes of the text formats' errors are their own; a binary file's are NN809
      String message = e.getMessage();
      if (e.code() == null) {
        message += " [NN809]";
      }
      throw new UserInputException(where(source, nnFile) + message);
    }
  }

  private static String where(DataSource source, Path nnFile) {
    return nnFile + ":" + source.span().line() + ":" + source.span().column() + ": error: ";
  }
}
