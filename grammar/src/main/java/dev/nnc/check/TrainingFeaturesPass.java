package dev.nnc.check;

import dev.nnc.ast.DataDecl;
import dev.nnc.ast.DataFileDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.StopDecl;
import dev.nnc.ast.ValidateDecl;
import dev.nnc.ast.ValidateSplitDecl;
import dev.nnc.ast.WordArgumentDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.Span;
import dev.nnc.ir.EarlyStopping;
import dev.nnc.ir.Schedule;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code validate split(f)} (0 < f < 1, with training data to split) and {@code stop early(patience
 * = N [, monitor = M] [, min_delta = D]) [restore best]}: a positive patience, a known monitor that
 * has its rows (a {@code val_…} monitor needs a validate statement), a finite min_delta ≥ 0.
 */
final class TrainingFeaturesPass implements CheckPass {
  /** Figures early stopping may watch: the losses and the metrics of the history. */
  static final List<String> METRICS =
      List.of("accuracy", "precision", "recall", "f1", "auc", "rmse", "mae");

  static final String MONITORS =
      "loss, val_loss, or a metric: val_accuracy, val_f1, val_auc, val_precision, val_recall,"
          + " val_rmse, val_mae (train_… for the training set)";

  @Override
  public void run(CheckContext context) {
    if (context.train.isEmpty()) {
      return;
    }
    if (context.fullBatchOptimizer()) {
      for (dev.nnc.diag.Span dropout : context.dropoutSpans) {
        if (dropout != null) {
          context.report(
              DiagnosticCode.DROPOUT_WITH_LINE_SEARCH,
              CheckContext.head(dropout, "dropout".length()),
              context.optimizer instanceof dev.nnc.ir.Optimizer.Lbfgs ? "lbfgs" : "cg");
          return;
        }
      }
    }
    boolean hasData = false;
    boolean validates = false;
    ValidateSplitDecl split = null;
    StopDecl stop = null;
    StopDecl schedule = null;
    for (StatementDecl statement : context.train.get().statements()) {
      if (statement instanceof DataFileDecl || statement instanceof DataDecl) {
        hasData = true;
      } else if (statement instanceof ValidateDecl) {
        validates = true;
      } else if (statement instanceof ValidateSplitDecl s) {
        split = s;
        validates = true;
      } else if (statement instanceof StopDecl s && s.kind().text().equals("schedule")) {
        if (schedule != null) {
          context.report(
              DiagnosticCode.REPEATED_STATEMENT, CheckContext.keywordSpan(s), "schedule");
        } else {
          schedule = s;
        }
      } else if (statement instanceof StopDecl s) {
        stop = s;
      }
    }
    if (split != null) {
      split(context, split, hasData);
    }
    if (stop != null) {
      context.earlyStopping = stop(context, stop, validates);
    }
    if (schedule != null) {
      context.schedule = schedule(context, schedule);
    }
  }

  /**
   * {@code schedule step(every = K[, factor = F])}, {@code exponential(factor = F)}, {@code
   * cosine([min_lr = M])}, each {@code [, warmup = W]}: K and W whole numbers of epochs (K ≥ 1), F
   * in (0, 1], M ≥ 0 and below the learning rate; not with a decay, nor with cg or lbfgs.
   */
  private static Optional<Schedule> schedule(CheckContext context, StopDecl schedule) {
    int errorsBefore = context.diagnostics.errorCount();
    String kindText = schedule.mode().text();
    Schedule.Kind kind =
        switch (kindText) {
          case "step" -> Schedule.Kind.STEP;
          case "exponential" -> Schedule.Kind.EXPONENTIAL;
          case "cosine" -> Schedule.Kind.COSINE;
          default -> null;
        };
    if (kind == null) {
      context.report(DiagnosticCode.UNKNOWN_SCHEDULE, schedule.mode().span(), kindText);
      return Optional.empty();
    }
    List<String> allowed =
        switch (kind) {
          case STEP -> List.of("every", "factor", "warmup");
          case EXPONENTIAL -> List.of("factor", "warmup");
          case COSINE -> List.of("min_lr", "warmup");
        };
    int every = 0;
    double factor = kind == Schedule.Kind.STEP ? 0.1 : Double.NaN;
    double minRate = 0;
    int warmup = 0;
    Set<String> seen = new HashSet<>();
    for (WordArgumentDecl argument : schedule.arguments()) {
      String name = argument.name().text();
      if (!allowed.contains(name)) {
        context.report(
            DiagnosticCode.BAD_SCHEDULE,
            argument.name().span(),
            "schedule "
                + kindText
                + " takes "
                + String.join(", ", allowed.subList(0, allowed.size() - 1))
                + " and "
                + allowed.get(allowed.size() - 1)
                + ", not '"
                + name
                + "'");
        continue;
      }
      if (!seen.add(name)) {
        context.report(
            DiagnosticCode.REPEATED_STATEMENT,
            CheckContext.head(argument.span(), name.length()),
            name);
        continue;
      }
      Optional<NumberDecl> number = argument.number();
      switch (name) {
        case "every", "warmup" -> {
          boolean positive = name.equals("every");
          if (number.isEmpty()
              || !number.get().isInteger()
              || number.get().value() < (positive ? 1 : 0)
              || number.get().value() > 1_000_000) {
            context.report(
                DiagnosticCode.BAD_SCHEDULE,
                argument.span(),
                name
                    + " must be a "
                    + (positive ? "positive" : "non-negative")
                    + " whole number of epochs, got "
                    + valueText(argument));
          } else if (positive) {
            every = (int) number.get().value();
          } else {
            warmup = (int) number.get().value();
          }
        }
        case "factor" -> {
          if (number.isEmpty() || !(number.get().value() > 0 && number.get().value() <= 1)) {
            context.report(
                DiagnosticCode.BAD_SCHEDULE,
                argument.span(),
                "factor multiplies the learning rate: it must be in (0, 1], got "
                    + valueText(argument));
          } else {
            factor = number.get().value();
          }
        }
        default -> { // min_lr
          if (number.isEmpty()
              || !number.get().isFinite()
              || number.get().value() < 0
              || number.get().value() >= context.learningRate) {
            context.report(
                DiagnosticCode.BAD_SCHEDULE,
                argument.span(),
                "min_lr must be ≥ 0 and below the learning rate "
                    + context.learningRate
                    + ", got "
                    + valueText(argument));
          } else {
            minRate = number.get().value();
          }
        }
      }
    }
    if (!schedule.after().isEmpty()) {
      context.report(
          DiagnosticCode.BAD_SCHEDULE,
          schedule.after().get(0).span(),
          "nothing may follow schedule "
              + kindText
              + "(…), got '"
              + schedule.after().get(0).text()
              + "'");
    }
    if (context.diagnostics.errorCount() != errorsBefore) {
      return Optional.empty();
    }
    Span head = CheckContext.keywordSpan(schedule);
    if (kind == Schedule.Kind.STEP && every == 0) {
      context.report(
          DiagnosticCode.BAD_SCHEDULE,
          head,
          "schedule step needs every = K: the epochs between two drops of the learning rate");
      return Optional.empty();
    }
    if (kind == Schedule.Kind.EXPONENTIAL && Double.isNaN(factor)) {
      context.report(
          DiagnosticCode.BAD_SCHEDULE,
          head,
          "schedule exponential needs factor = F: the learning rate is multiplied by F every epoch");
      return Optional.empty();
    }
    if (context.fullBatchOptimizer()) {
      context.report(
          DiagnosticCode.BAD_SCHEDULE,
          head,
          "cg and lbfgs take no learning rate, so no schedule; remove it or use sgd, momentum or"
              + " adam");
      return Optional.empty();
    }
    if (context.decay != 1) {
      context.report(
          DiagnosticCode.BAD_SCHEDULE,
          head,
          "a schedule replaces the optimizer's decay: give one or the other (schedule"
              + " exponential(factor = "
              + context.decay
              + ") is the same decay)");
      return Optional.empty();
    }
    if (Double.isNaN(factor)) {
      factor = 1;
    }
    return Optional.of(new Schedule(kind, every, factor, minRate, warmup, schedule.span()));
  }

  private static void split(CheckContext context, ValidateSplitDecl split, boolean hasData) {
    if (!split.kind().text().equals("split")) {
      context.report(DiagnosticCode.UNKNOWN_VALIDATION, split.kind().span(), split.kind().text());
      return;
    }
    if (!hasData) {
      context.report(DiagnosticCode.VALIDATE_WITHOUT_DATA, CheckContext.keywordSpan(split));
      return;
    }
    NumberDecl fraction = split.fraction();
    double value = fraction.value();
    if (!(value > 0 && value < 1)) {
      context.report(DiagnosticCode.BAD_SPLIT, fraction.span(), fraction.text());
      return;
    }
    context.validationSplit = value;
  }

  private static Optional<EarlyStopping> stop(
      CheckContext context, StopDecl stop, boolean validates) {
    int errorsBefore = context.diagnostics.errorCount();
    if (!stop.mode().text().equals("early")) {
      context.report(DiagnosticCode.UNKNOWN_STOP_RULE, stop.mode().span(), stop.mode().text());
      return Optional.empty();
    }
    Integer patience = null;
    String monitor = "val_loss";
    NameDecl monitorWord = null;
    double minDelta = 0;
    Set<String> seen = new HashSet<>();
    for (WordArgumentDecl argument : stop.arguments()) {
      String name = argument.name().text();
      if (!seen.add(name)) {
        context.report(
            DiagnosticCode.REPEATED_STATEMENT,
            CheckContext.head(argument.span(), name.length()),
            name);
        continue;
      }
      switch (name) {
        case "patience" -> {
          Optional<NumberDecl> number = argument.number();
          if (number.isEmpty()
              || !number.get().isInteger()
              || number.get().value() < 1
              || number.get().value() > Integer.MAX_VALUE) {
            context.report(
                DiagnosticCode.BAD_STOP_ARGUMENT,
                argument.span(),
                "patience must be a positive whole number of epochs, got " + valueText(argument));
          } else {
            patience = (int) number.get().value();
          }
        }
        case "monitor" -> {
          if (argument.word().isEmpty() || !knownMonitor(argument.word().get().text())) {
            context.report(
                DiagnosticCode.UNKNOWN_MONITOR,
                argument.word().map(NameDecl::span).orElse(argument.span()),
                valueText(argument),
                MONITORS);
          } else {
            monitorWord = argument.word().get();
            monitor = monitorWord.text();
          }
        }
        case "min_delta" -> {
          Optional<NumberDecl> number = argument.number();
          if (number.isEmpty() || !number.get().isFinite() || number.get().value() < 0) {
            context.report(
                DiagnosticCode.BAD_STOP_ARGUMENT,
                argument.span(),
                "min_delta must be a number ≥ 0, got " + valueText(argument));
          } else {
            minDelta = number.get().value();
          }
        }
        default ->
            context.report(
                DiagnosticCode.BAD_STOP_ARGUMENT,
                argument.name().span(),
                "stop early takes patience, monitor and min_delta, not '" + name + "'");
      }
    }
    if (patience == null && context.diagnostics.errorCount() == errorsBefore) {
      context.report(
          DiagnosticCode.BAD_STOP_ARGUMENT,
          CheckContext.head(stop.span(), 4),
          "stop early needs patience = N: the epochs to wait for an improvement");
    }
    boolean restoreBest = false;
    List<NameDecl> after = stop.after();
    if (!after.isEmpty()) {
      boolean ok =
          after.size() == 2
              && after.get(0).text().equals("restore")
              && after.get(1).text().equals("best");
      if (ok) {
        restoreBest = true;
      } else {
        context.report(
            DiagnosticCode.BAD_STOP_ARGUMENT,
            after.get(0).span(),
            "only 'restore best' may follow stop early(…), got '"
                + String.join(" ", after.stream().map(NameDecl::text).toList())
                + "'");
      }
    }
    if (context.diagnostics.errorCount() > errorsBefore) {
      return Optional.empty();
    }
    if (monitor.startsWith("val_") && !validates) {
      context.report(
          DiagnosticCode.MONITOR_WITHOUT_VALIDATION,
          monitorWord != null ? monitorWord.span() : CheckContext.head(stop.span(), 4),
          monitor);
      return Optional.empty();
    }
    return Optional.of(new EarlyStopping(patience, monitor, minDelta, restoreBest, stop.span()));
  }

  static boolean knownMonitor(String monitor) {
    if (monitor.equals("loss") || monitor.equals("val_loss")) {
      return true;
    }
    for (String prefix : List.of("train_", "val_")) {
      if (monitor.startsWith(prefix) && METRICS.contains(monitor.substring(prefix.length()))) {
        return true;
      }
    }
    return false;
  }

  private static String valueText(WordArgumentDecl argument) {
    return argument
        .number()
        .map(NumberDecl::text)
        .orElseGet(() -> argument.word().map(NameDecl::text).orElse("nothing"));
  }
}
