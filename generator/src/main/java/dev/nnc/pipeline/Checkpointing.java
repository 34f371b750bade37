package dev.nnc.pipeline;

import dev.nnc.ir.Dense;
import dev.nnc.ir.Model;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.train.Checkpoint;
import dev.nnc.runtime.train.CheckpointMismatchException;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.runtime.train.Trainer;
import dev.nnc.runtime.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Training with checkpoints, for {@code nnc train --checkpoint-every N} and {@code --resume}: the
 * checkpoint is {@code DIR/<Name>-checkpoint.npz}, written atomically at the end of every N-th
 * epoch (and of the last), never from a diverged state. Resuming refuses a checkpoint of another
 * network, recipe or training set, and continues an SGD, momentum or Adam run bit for bit; CG and
 * L-BFGS restart their iteration from the saved parameters.
 */
public final class Checkpointing {
  private Checkpointing() {}

  /** Where the checkpoint of network {@code name} lives in {@code outDirectory}. */
  public static Path file(Path outDirectory, String name) {
    return outDirectory.resolve(name + "-checkpoint.npz");
  }

  /**
   * What a checkpoint records about the network beyond its tensor shapes: the activations, biases,
   * loss and penalty (inits do not matter: a resumed run takes its parameters from the file).
   */
  public static String describe(Model model) {
    StringBuilder text = new StringBuilder();
    for (Dense layer : model.layers()) {
      text.append(layer.name()).append(' ').append(layer.activation().name().toLowerCase());
      text.append(layer.bias() ? "" : " nobias");
      // only with dropout, so that checkpoints of networks without it keep their identity
      text.append(layer.dropsOut() ? " dropout " + layer.dropout() : "").append(", ");
    }
    text.append("input powers ").append(model.input().powers());
    text.append(" standardize ").append(model.input().standardizeDdof());
    text.append(", target ").append(model.target().kind()).append(' ');
    text.append(model.target().standardizeDdof());
    text.append(", loss ").append(model.loss().kind()).append(' ').append(model.loss().reduction());
    model
        .penalty()
        .ifPresent(
            p ->
                text.append(p.l1() ? ", l1 " : ", l2 ")
                    .append(p.coefficient())
                    .append(p.overTwoM() ? "/2m" : ""));
    return text.toString();
  }

  /**
   * Trains {@code prepared} as {@link Training.Prepared#train} does, checkpointing every {@code
   * every} epochs (null: never, unless resuming, which keeps checkpointing every epoch) into {@code
   * outDirectory}, and first resuming from the checkpoint there when {@code resume}.
   *
   * @throws UserInputException for options without {@code --out}, a missing, unreadable or
   *     mismatched checkpoint, or one that cannot be written
   * @throws TrainingDivergedException when a loss is not finite; the last checkpoint is kept
   */
  public static Training.Result train(
      Training.Prepared prepared,
      TrainListener listener,
      Model model,
      Path outDirectory,
      Integer every,
      boolean resume,
      PrintWriter out) {
    if ((every != null || resume) && outDirectory == null) {
      throw new UserInputException(
          "nnc: "
              + (resume ? "--resume" : "--checkpoint-every")
              + " needs --out DIR (the"
              + " checkpoint is DIR/"
              + model.name()
              + "-checkpoint.npz)");
    }
    if (every != null && every < 1) {
      throw new UserInputException("nnc: --checkpoint-every must be at least 1, got " + every);
    }
    Trainer trainer =
        prepared.configure(
            new Trainer(prepared.network(), prepared.config())
                .addListener(listener)
                .describeModel(describe(model)));
    Path file = outDirectory == null ? null : file(outDirectory, model.name());
    if (resume) {
      Checkpoint checkpoint = read(file);
      try {
        checkpoint.checkMatches(trainer.identity(prepared.data()), file.toString());
      } catch (CheckpointMismatchException e) {
        throw new UserInputException("nnc: " + e.getMessage());
      }
      out.println("resuming from " + file + " after epoch " + checkpoint.epochsDone());
      trainer.resumeFrom(checkpoint, file.toString());
    }
    if (every != null || resume) {
      trainer.checkpointEvery(every == null ? 1 : every, file);
    }
    try {
      History history = trainer.train(prepared.data());
      return new Training.Result(
          prepared.network(), prepared.preprocessing(), prepared.data(), history);
    } catch (CheckpointMismatchException e) {
      throw new UserInputException("nnc: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new UserInputException("nnc: " + e.getMessage() + ": " + e.getCause().getMessage());
    }
  }

  /** For a diverged run: where its last good checkpoint is, or an empty string. */
  public static String keptNote(Path outDirectory, String name) {
    if (outDirectory == null) {
      return "";
    }
    Path file = file(outDirectory, name);
    if (!Files.isRegularFile(file)) {
      return "";
    }
    try {
      return "; the last good checkpoint (epoch "
          + Checkpoint.read(file).epochsDone()
          + ") is kept in "
          + file;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static Checkpoint read(Path file) {
    try {
      return Checkpoint.read(file);
    } catch (NoSuchFileException e) {
      throw new UserInputException(
          "nnc: no checkpoint to resume from: "
              + file
              + " does not exist (write one with"
              + " --checkpoint-every N)");
    } catch (IOException e) {
      throw new UserInputException(
          "nnc: cannot read the checkpoint " + file + ": " + e.getMessage());
    } catch (DataFormatException e) {
      throw new UserInputException("nnc: cannot resume from " + file + ": " + e.getMessage());
    }
  }
}
