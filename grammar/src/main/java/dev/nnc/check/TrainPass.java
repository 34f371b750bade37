package dev.nnc.check;

import dev.nnc.ast.BatchDecl;
import dev.nnc.ast.EpochsDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.SeedDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.StepsDecl;
import dev.nnc.ast.TrainDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.Optimizer;
import dev.nnc.ir.Train;
import java.util.Optional;

/**
 * The train block's recipe: a positive batch size (or {@code full}), exactly one of epochs and
 * steps (positive integers), a non-negative seed; with cg or lbfgs none of epochs, steps and {@code
 * batch N}, and the iterations become the epochs. The optimizer is {@link OptimizerPass}'s, the
 * data {@link DataSourcePass}'s and {@link InlineDataPass}'s.
 */
final class TrainPass implements CheckPass {
  @Override
  public void run(CheckContext context) {
    if (context.train.isEmpty()) {
      return;
    }
    TrainDecl train = context.train.get();
    BatchDecl batch = null;
    EpochsDecl epochs = null;
    StepsDecl steps = null;
    SeedDecl seed = null;
    for (StatementDecl statement : train.statements()) {
      if (statement instanceof BatchDecl b) {
        batch = b;
      } else if (statement instanceof EpochsDecl e) {
        epochs = e;
      } else if (statement instanceof StepsDecl s) {
        steps = s;
      } else if (statement instanceof SeedDecl s) {
        seed = s;
      }
    }

    if (context.fullBatchOptimizer()) {
      fullBatchOnly(context, batch, epochs, steps);
      if (context.diagnostics.hasErrors()) {
        return;
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
    if (context.fullBatchOptimizer()) {
      epochCount = context.iterations; // one iteration (line search) per epoch
    } else if (epochs != null && steps != null) {
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
                  context.learningRate,
                  context.decay,
                  batchSize,
                  shuffle,
                  withReplacement,
                  epochCount,
                  stepCount,
                  seedValue,
                  Optional.empty(),
                  train.span(),
                  context.optimizer,
                  Optional.empty(),
                  Optional.empty()));
    }
  }

  /** cg and lbfgs run their iterations on the whole training set: no epochs, steps or batch N. */
  private static void fullBatchOnly(
      CheckContext context, BatchDecl batch, EpochsDecl epochs, StepsDecl steps) {
    String optimizer = context.optimizer instanceof Optimizer.Lbfgs ? "lbfgs" : "cg";
    for (StatementDecl statement : new StatementDecl[] {batch, epochs, steps}) {
      if (statement == null || (statement instanceof BatchDecl b && b.size().isEmpty())) {
        continue;
      }
      String message =
          statement instanceof BatchDecl
              ? optimizer + " works on the full batch; remove 'batch' or write 'batch full'"
              : optimizer
                  + " counts iterations, not "
                  + statement.keyword()
                  + "; remove '"
                  + statement.keyword()
                  + "'";
      context.report(
          DiagnosticCode.FULL_BATCH_OPTIMIZER, CheckContext.keywordSpan(statement), message);
    }
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
