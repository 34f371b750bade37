package dev.nnc.check;

import dev.nnc.ast.ArgumentDecl;
import dev.nnc.ast.BatchDecl;
import dev.nnc.ast.EpochsDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.OptimizerDecl;
import dev.nnc.ast.SeedDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.StepsDecl;
import dev.nnc.ast.TrainDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.Train;
import java.util.List;
import java.util.Optional;

/**
 * The train block's recipe: an {@code sgd} optimizer with a positive finite learning rate and an
 * optional decay in (0, 1] per epoch, a positive batch size (or {@code full}), exactly one of
 * epochs and steps (positive integers), a non-negative seed. The data is {@link InlineDataPass}'s.
 */
final class TrainPass implements CheckPass {
  @Override
  public void run(CheckContext context) {
    if (context.train.isEmpty()) {
      return;
    }
    TrainDecl train = context.train.get();
    OptimizerDecl optimizer = null;
    BatchDecl batch = null;
    EpochsDecl epochs = null;
    StepsDecl steps = null;
    SeedDecl seed = null;
    for (StatementDecl statement : train.statements()) {
      if (statement instanceof OptimizerDecl o) {
        optimizer = o;
      } else if (statement instanceof BatchDecl b) {
        batch = b;
      } else if (statement instanceof EpochsDecl e) {
        epochs = e;
      } else if (statement instanceof StepsDecl s) {
        steps = s;
      } else if (statement instanceof SeedDecl s) {
        seed = s;
      }
    }

    double learningRate = 1;
    double decay = 1;
    if (optimizer == null) {
      context.report(DiagnosticCode.MISSING_OPTIMIZER, CheckContext.head(train.span(), 5));
    } else if (!optimizer.kind().text().equals("sgd")) {
      context.report(
          DiagnosticCode.UNKNOWN_OPTIMIZER, optimizer.kind().span(), optimizer.kind().text());
    } else {
      Optional<ArgumentDecl> lr = argument(context, optimizer, "lr");
      Optional<ArgumentDecl> decayArgument = argument(context, optimizer, "decay");
      if (!context.diagnostics.hasErrors()) {
        if (lr.isEmpty()) {
          context.report(
              DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
              optimizer.kind().span(),
              "sgd needs a learning rate: sgd(lr = 0.1)");
        } else {
          learningRate = learningRate(context, lr.get());
        }
        if (decayArgument.isPresent()) {
          decay = decay(context, decayArgument.get());
        }
      }
    }

    int batchSize = 0;
    boolean shuffle = false;
    boolean withReplacement = false;
    if (batch != null && batch.size().isPresent()) {
      NumberDecl size = batch.size().get();
      batchSize =
          Numbers.positiveInt(
                  context,
                  size,
                  "the batch size",
                  () -> context.report(DiagnosticCode.BAD_BATCH_SIZE, size.span(), size.text()))
              .orElse(0);
      shuffle = batch.order() == BatchDecl.Order.SHUFFLE;
      withReplacement = batch.order() == BatchDecl.Order.WITH_REPLACEMENT;
    }

    int epochCount = 0;
    int stepCount = 0;
    if (epochs != null && steps != null) {
      StatementDecl second =
          epochs.span().line() > steps.span().line()
                  || (epochs.span().line() == steps.span().line()
                      && epochs.span().column() > steps.span().column())
              ? epochs
              : steps;
      context.report(
          DiagnosticCode.EPOCHS_OR_STEPS,
          CheckContext.keywordSpan(second),
          "give epochs or steps, not both");
    } else if (epochs == null && steps == null) {
      context.report(
          DiagnosticCode.EPOCHS_OR_STEPS,
          CheckContext.head(train.span(), 5),
          "the train block needs 'epochs N' or 'steps N'");
    } else if (epochs != null) {
      epochCount = count(context, epochs.count(), "epochs");
    } else {
      stepCount = count(context, steps.count(), "steps");
    }

    long seedValue = 0;
    if (seed != null) {
      Optional<Long> value = seed.value().longValue();
      if (value.isEmpty() || value.get() < 0) {
        context.report(
            DiagnosticCode.BAD_COUNT,
            seed.value().span(),
            "seed",
            "a non-negative",
            seed.value().text());
      } else {
        seedValue = value.get();
      }
    }
    if (!context.diagnostics.hasErrors()) {
      context.trainIr =
          Optional.of(
              new Train(
                  learningRate,
                  decay,
                  batchSize,
                  shuffle,
                  withReplacement,
                  epochCount,
                  stepCount,
                  seedValue,
                  Optional.empty(),
                  train.span()));
    }
  }

  /** The argument called {@code name}, if given; reports unknown and repeated arguments. */
  private static Optional<ArgumentDecl> argument(
      CheckContext context, OptimizerDecl optimizer, String name) {
    Optional<ArgumentDecl> found = Optional.empty();
    for (ArgumentDecl argument : optimizer.arguments()) {
      String given = argument.name().text();
      if (!given.equals("lr") && !given.equals("decay")) {
        if (name.equals("lr")) { // report unknown arguments once, on the first lookup
          context.report(
              DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
              argument.name().span(),
              "sgd has no argument '" + given + "'; it takes lr and decay");
        }
      } else if (given.equals(name)) {
        if (found.isPresent()) {
          context.report(
              DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
              argument.name().span(),
              "'" + name + "' is given twice");
        }
        found = Optional.of(argument);
      }
    }
    return found;
  }

  private static double learningRate(CheckContext context, ArgumentDecl lr) {
    if (!lr.qualifiers().isEmpty()) {
      context.report(
          DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
          lr.qualifiers().get(0).span(),
          "unexpected '" + lr.qualifiers().get(0).text() + "' after the learning rate");
      return 1;
    }
    double value = lr.value().value();
    if (!(value > 0) || !Double.isFinite(value)) {
      context.report(DiagnosticCode.BAD_LEARNING_RATE, lr.value().span(), lr.value().text());
      return 1;
    }
    return value;
  }

  private static double decay(CheckContext context, ArgumentDecl decay) {
    List<String> qualifiers = decay.qualifiers().stream().map(NameDecl::text).toList();
    if (!qualifiers.equals(List.of("per", "epoch"))) {
      context.report(
          DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
          decay.span(),
          "write the decay schedule as 'decay = " + decay.value().text() + " per epoch'");
      return 1;
    }
    double value = decay.value().value();
    if (!(value > 0 && value <= 1)) {
      context.report(DiagnosticCode.BAD_DECAY, decay.value().span(), decay.value().text());
      return 1;
    }
    return value;
  }

  private static int count(CheckContext context, NumberDecl number, String what) {
    return Numbers.positiveInt(
            context,
            number,
            what,
            () ->
                context.report(
                    DiagnosticCode.BAD_COUNT, number.span(), what, "a positive", number.text()))
        .orElse(0);
  }
}
