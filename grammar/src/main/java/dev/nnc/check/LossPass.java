package dev.nnc.check;

import dev.nnc.ast.LabelDecl;
import dev.nnc.ast.LossDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.PenaltyDecl;
import dev.nnc.ast.TargetDecl;
import dev.nnc.ast.TargetReferenceDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Penalty;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Target;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The loss and the penalty: a known loss kind and reduction, reading the last layer, comparing it
 * with the declared target or label of the right kind and width, on an output whose activation
 * suits the loss (raw scores for softmax cross-entropy, sigmoid for binary cross-entropy).
 */
final class LossPass implements CheckPass {
  static final String LOSSES = "squared_error, softmax_cross_entropy, binary_cross_entropy";
  static final String REDUCTIONS =
      Stream.of(Reduction.values()).map(Reduction::keyword).collect(Collectors.joining(", "));

  @Override
  public void run(CheckContext context) {
    LossDecl loss = context.loss;
    Loss.Kind kind = lossKind(context, loss.kind());
    Reduction reduction = reduction(context, loss, kind);
    int last = context.denseLayers.size() - 1;
    String lastName = context.denseLayers.get(last).name().text();
    NameDecl output = loss.output();
    int outputIndex = -1;
    for (int i = 0; i <= last; i++) {
      if (context.denseLayers.get(i).name().text().equals(output.text())) {
        outputIndex = i;
      }
    }
    if (outputIndex < 0) {
      context.report(DiagnosticCode.LOSS_OUTPUT_UNKNOWN, output.span(), output.text());
    } else if (outputIndex != last) {
      context.report(DiagnosticCode.LOSS_NOT_ON_LAST_LAYER, output.span(), lastName, output.text());
    }
    penalty(context);
    if (context.diagnostics.hasErrors() || kind == null) {
      return;
    }
    int outputWidth = context.layerWidths.get(last);
    Activation activation = context.activations.get(last);
    TargetReferenceDecl reference = loss.target();
    Optional<Target> target = target(context, kind, reference, outputWidth);
    if (target.isEmpty()) {
      return;
    }
    if (kind == Loss.Kind.SOFTMAX_CROSS_ENTROPY && activation != Activation.IDENTITY) {
      context.report(
          DiagnosticCode.SOFTMAX_CROSS_ENTROPY_ACTIVATION,
          context.denseLayers.get(last).activation().orElseThrow().span(),
          lastName,
          lastName,
          activation.keyword());
      return;
    }
    if (kind == Loss.Kind.BINARY_CROSS_ENTROPY && activation != Activation.SIGMOID) {
      context.report(
          DiagnosticCode.BINARY_CROSS_ENTROPY_ACTIVATION,
          context
              .denseLayers
              .get(last)
              .activation()
              .map(NameDecl::span)
              .orElse(context.denseLayers.get(last).name().span()),
          lastName,
          activation.keyword());
      return;
    }
    context.target = target.get();
    List<Double> weights = classWeights(context, loss, target.get(), kind, outputWidth);
    if (context.diagnostics.hasErrors()) {
      return;
    }
    context.lossIr = new Loss(kind, reduction, reference.onehot(), loss.span(), weights);
  }

  /**
   * {@code class_weights(w0, w1, …)}: the word (NN714), labels (NN715), one positive finite weight
   * per class (NN716): the output width, or 2 for a 0/1 label against one sigmoid output.
   */
  private static List<Double> classWeights(
      CheckContext context, LossDecl loss, Target target, Loss.Kind kind, int outputWidth) {
    if (loss.option().isEmpty()) {
      return List.of();
    }
    NameDecl word = loss.option().get();
    if (!word.text().equals("class_weights")) {
      context.report(
          DiagnosticCode.UNKNOWN_LOSS_OPTION,
          word.span(),
          word.text(),
          word.text().equals("weights") || word.text().equals("weight")
              ? "; for a weight per class write class_weights(…)"
              : "");
      return List.of();
    }
    if (target.kind() != Target.Kind.LABELS) {
      context.report(DiagnosticCode.CLASS_WEIGHTS_WITHOUT_LABELS, word.span(), target.name());
      return List.of();
    }
    int classes = outputWidth == 1 && kind == Loss.Kind.BINARY_CROSS_ENTROPY ? 2 : outputWidth;
    if (loss.weights().size() != classes) {
      context.report(
          DiagnosticCode.BAD_CLASS_WEIGHTS,
          loss.weights().isEmpty() ? word.span() : loss.weights().get(0).span(),
          "class_weights takes one weight per class: "
              + classes
              + " for the "
              + classes
              + " classes of '"
              + target.name()
              + "', got "
              + loss.weights().size());
      return List.of();
    }
    List<Double> weights = new java.util.ArrayList<>();
    for (dev.nnc.ast.NumberDecl weight : loss.weights()) {
      double value = weight.value();
      if (!(value > 0) || Double.isInfinite(value)) {
        context.report(
            DiagnosticCode.BAD_CLASS_WEIGHTS,
            weight.span(),
            "a class weight multiplies the loss of that class's rows: it must be positive and"
                + " finite, got "
                + weight.text());
        return List.of();
      }
      weights.add(value);
    }
    return weights;
  }

  private static Loss.Kind lossKind(CheckContext context, NameDecl word) {
    for (Loss.Kind kind : Loss.Kind.values()) {
      if (kind.name().toLowerCase(Locale.ROOT).equals(word.text())) {
        return kind;
      }
    }
    context.report(
        DiagnosticCode.UNKNOWN_LOSS, word.span(), word.text(), LOSSES + didYouMean(word.text()));
    return null;
  }

  /** The nnc loss for a name Keras or PyTorch users reach for, as a hint; empty otherwise. */
  static String didYouMean(String word) {
    String loss =
        switch (word.toLowerCase(Locale.ROOT)) {
          case "mse", "mean_squared_error", "mseloss", "l2" -> "squared_error";
          case "categorical_crossentropy",
              "sparse_categorical_crossentropy",
              "cross_entropy",
              "crossentropy",
              "crossentropyloss",
              "nll",
              "softmax" ->
              "softmax_cross_entropy";
          case "binary_crossentropy", "bce", "bceloss", "log_loss", "logistic" ->
              "binary_cross_entropy";
          default -> null;
        };
    return loss == null ? "" : "; for '" + word + "' write " + loss;
  }

  private static Reduction reduction(CheckContext context, LossDecl loss, Loss.Kind kind) {
    if (loss.reduction().isEmpty()) {
      return kind == Loss.Kind.SQUARED_ERROR ? Reduction.MEAN : Reduction.BATCH_MEAN;
    }
    NameDecl word = loss.reduction().get();
    for (Reduction reduction : Reduction.values()) {
      if (reduction.keyword().equals(word.text())) {
        return reduction;
      }
    }
    context.report(DiagnosticCode.UNKNOWN_REDUCTION, word.span(), word.text(), REDUCTIONS);
    return Reduction.MEAN;
  }

  private static Optional<Target> target(
      CheckContext context, Loss.Kind kind, TargetReferenceDecl reference, int outputWidth) {
    NameDecl name = reference.name();
    String kindWord = kind.name().toLowerCase(Locale.ROOT);
    String outputName = context.denseLayers.get(context.denseLayers.size() - 1).name().text();
    if (context.targetStatement instanceof TargetDecl dense
        && dense.name().text().equals(name.text())) {
      if (reference.onehot()) {
        return wrongKind(
            context,
            reference,
            "onehot needs a label, but '"
                + name.text()
                + "' is a dense target; write '"
                + name.text()
                + "'");
      }
      if (kind == Loss.Kind.SOFTMAX_CROSS_ENTROPY) {
        return wrongKind(
            context,
            reference,
            "softmax_cross_entropy needs a label (one class per row), but '"
                + name.text()
                + "' is a dense target");
      }
      if (context.targetDeclaredWidth != outputWidth) {
        context.report(
            DiagnosticCode.TARGET_WIDTH_MISMATCH,
            name.span(),
            name.text(),
            context.targetDeclaredWidth,
            outputName,
            outputWidth);
        return Optional.empty();
      }
      return Optional.of(
          new Target(
              name.text(),
              Target.Kind.DENSE,
              context.targetDeclaredWidth,
              context.targetStandardizeDdof,
              dense.span()));
    }
    if (context.targetStatement instanceof LabelDecl label
        && label.name().text().equals(name.text())) {
      if (kind == Loss.Kind.SOFTMAX_CROSS_ENTROPY && reference.onehot()) {
        return wrongKind(
            context,
            reference,
            "softmax_cross_entropy takes the label itself: write '"
                + name.text()
                + "', not onehot("
                + name.text()
                + ")");
      }
      if (reference.onehot() && outputWidth == 1) {
        context.report(
            DiagnosticCode.ONEHOT_OF_ONE_CLASS,
            reference.span(),
            name.text(),
            outputName,
            outputName,
            name.text(),
            outputName);
        return Optional.empty();
      }
      if (kind == Loss.Kind.BINARY_CROSS_ENTROPY && !reference.onehot() && outputWidth == 1) {
        // a 0/1 label against one sigmoid output: two classes, the output is P(class 1)
        return Optional.of(new Target(name.text(), Target.Kind.LABELS, 2, -1, label.span()));
      }
      if (kind != Loss.Kind.SOFTMAX_CROSS_ENTROPY && !reference.onehot()) {
        return wrongKind(
            context,
            reference,
            kindWord
                + " compares with rows of numbers, and '"
                + name.text()
                + "' is a label; write onehot("
                + name.text()
                + ")");
      }
      return Optional.of(
          new Target(name.text(), Target.Kind.LABELS, outputWidth, -1, label.span()));
    }
    context.report(DiagnosticCode.LOSS_TARGET_UNKNOWN, name.span(), name.text());
    return Optional.empty();
  }

  private static Optional<Target> wrongKind(
      CheckContext context, TargetReferenceDecl reference, String message) {
    context.report(DiagnosticCode.LOSS_TARGET_KIND, reference.span(), message);
    return Optional.empty();
  }

  private static void penalty(CheckContext context) {
    if (context.penaltyStatement.isEmpty()) {
      return;
    }
    PenaltyDecl penalty = context.penaltyStatement.get();
    String kind = penalty.kind().text();
    if (!kind.equals("l2") && !kind.equals("l1")) {
      context.report(DiagnosticCode.UNKNOWN_PENALTY, penalty.kind().span(), kind);
      return;
    }
    OptionalDouble coefficient = Numbers.finite(context, penalty.coefficient());
    if (coefficient.isEmpty()) {
      return;
    }
    if (!(coefficient.getAsDouble() >= 0)) {
      context.report(
          DiagnosticCode.BAD_PENALTY,
          penalty.coefficient().span(),
          "a penalty's coefficient must be 0 or more (it is added to the loss), got "
              + penalty.coefficient().text());
      return;
    }
    if (kind.equals("l1") && penalty.overTwoM()) {
      context.report(
          DiagnosticCode.BAD_PENALTY,
          penalty.span(),
          "penalty l1 takes no '/ 2m' (that is l2's λ/(2m) · ΣW²); write penalty l1(λ) for λ ·"
              + " Σ|W|");
      return;
    }
    Penalty.Norm norm = kind.equals("l1") ? Penalty.Norm.L1 : Penalty.Norm.L2;
    context.penalty =
        Optional.of(
            new Penalty(norm, coefficient.getAsDouble(), penalty.overTwoM(), penalty.span()));
  }
}
