package dev.nnc.check;

import dev.nnc.ast.ArrayDecl;
import dev.nnc.ast.ArrayElementDecl;
import dev.nnc.ast.DenseDecl;
import dev.nnc.ast.DenseOptionDecl;
import dev.nnc.ast.InitDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Init;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Each dense layer's activation, bias and inits: known kinds with the right number of arguments,
 * each option at most once, no bias init on a layer without bias, and literal values of exactly the
 * tensor's shape (weights: {@code in} rows of {@code out} values; bias: {@code out} values).
 */
final class DenseLayerPass implements CheckPass {
  static final String ACTIVATIONS =
      Stream.of(Activation.values()).map(Activation::keyword).collect(Collectors.joining(", "));
  static final String INITS = "uniform, normal, constant, xavier, he";

  @Override
  public void run(CheckContext context) {
    for (int i = 0; i < context.denseLayers.size(); i++) {
      DenseDecl dense = context.denseLayers.get(i);
      context.activations.add(activation(context, dense));
      boolean bias = true;
      Init weightInit = new Init.Xavier();
      Init biasInit = new Init.Constant(0);
      double dropout = 0;
      dev.nnc.diag.Span dropoutSpan = null;
      Set<String> seen = new HashSet<>();
      String name = dense.name().text();
      int in = context.layerInputWidth(i);
      int out = context.layerWidths.get(i);
      for (DenseOptionDecl option : dense.options()) {
        if (!seen.add(option.keyword())) {
          context.report(
              DiagnosticCode.REPEATED_OPTION,
              CheckContext.head(option.span(), option.keyword().length()),
              option.keyword(),
              name);
          continue;
        }
        if (option instanceof DenseOptionDecl.NoBiasDecl) {
          bias = false;
        } else if (option instanceof DenseOptionDecl.WeightInitDecl weights) {
          weightInit = init(context, weights.init(), name, in, out, true);
        } else if (option instanceof DenseOptionDecl.BiasInitDecl biasOption) {
          biasInit = init(context, biasOption.init(), name, 1, out, false);
        } else if (option instanceof DenseOptionDecl.DropoutDecl drop) {
          dropout = dropout(context, drop, name, i == context.denseLayers.size() - 1);
          dropoutSpan = drop.span();
        }
      }
      if (!bias && seen.contains("bias init")) {
        DenseOptionDecl biasOption =
            dense.options().stream()
                .filter(option -> option instanceof DenseOptionDecl.BiasInitDecl)
                .findFirst()
                .orElseThrow();
        context.report(
            DiagnosticCode.BIAS_INIT_WITHOUT_BIAS,
            CheckContext.head(biasOption.span(), "bias init".length()),
            name);
      }
      context.biases.add(bias);
      context.weightInits.add(weightInit);
      context.biasInits.add(bias ? biasInit : new Init.Constant(0));
      context.dropouts.add(dropout);
      context.dropoutSpans.add(dropoutSpan);
    }
  }

  /**
   * {@code dropout(p)}: 0 ≤ p < 1 (NN711), named {@code p} or {@code rate} if at all, and not on
   * the output layer (NN712), whose outputs the loss reads.
   */
  private static double dropout(
      CheckContext context, DenseOptionDecl.DropoutDecl drop, String layer, boolean output) {
    if (drop.rateName().isPresent()) {
      NameDecl rateName = drop.rateName().get();
      if (!rateName.text().equals("p") && !rateName.text().equals("rate")) {
        context.report(
            DiagnosticCode.BAD_DROPOUT,
            rateName.span(),
            "dropout takes one argument, the rate p (the share of outputs zeroed), not '"
                + rateName.text()
                + "'; write dropout(0.5) or dropout(p = 0.5)");
        return 0;
      }
    }
    NumberDecl rate = drop.rate();
    double p = rate.value();
    if (!(p >= 0 && p < 1)) {
      context.report(
          DiagnosticCode.BAD_DROPOUT,
          rate.span(),
          "the dropout rate of dense '"
              + layer
              + "' is the share of its outputs zeroed in training, 0 ≤ p < 1, got "
              + rate.text()
              + (p > 1 && p <= 100
                  ? "; for " + rate.text() + "% write dropout(" + p / 100 + ")"
                  : ""));
      return 0;
    }
    if (output) {
      context.report(
          DiagnosticCode.DROPOUT_ON_OUTPUT,
          CheckContext.head(drop.span(), "dropout".length()),
          layer,
          layer);
      return 0;
    }
    return p;
  }

  private static Activation activation(CheckContext context, DenseDecl dense) {
    if (dense.activation().isEmpty()) {
      return Activation.IDENTITY;
    }
    return activation(context, dense.activation().get());
  }

  /** The activation a word names; reports NN212 for an unknown one. */
  static Activation activation(CheckContext context, NameDecl word) {
    for (Activation activation : Activation.values()) {
      if (activation.keyword().equals(word.text())) {
        return activation;
      }
    }
    context.report(DiagnosticCode.UNKNOWN_ACTIVATION, word.span(), word.text(), ACTIVATIONS);
    return Activation.IDENTITY;
  }

  static Init init(
      CheckContext context, InitDecl init, String layer, int in, int out, boolean weights) {
    if (init instanceof InitDecl.InitValuesDecl values) {
      return weights
          ? weightValues(context, values.values(), layer, in, out)
          : biasValues(context, values.values(), layer, out);
    }
    InitDecl.InitCallDecl call = (InitDecl.InitCallDecl) init;
    String kind = call.kind().text();
    String expectedArguments =
        switch (kind) {
          case "uniform" -> "2 arguments (low, high)";
          case "normal" -> "2 arguments (mean, std)";
          case "constant" -> "1 argument (the value)";
          case "xavier", "he" -> "no arguments";
          default -> null;
        };
    if (expectedArguments == null) {
      context.report(DiagnosticCode.UNKNOWN_INIT, call.kind().span(), kind, INITS);
      return new Init.Xavier();
    }
    int expectedCount = expectedArguments.charAt(0) == 'n' ? 0 : expectedArguments.charAt(0) - '0';
    List<NumberDecl> arguments = call.arguments();
    if (arguments.size() != expectedCount) {
      context.report(
          DiagnosticCode.INIT_ARGUMENT_COUNT,
          call.span(),
          kind,
          expectedArguments,
          arguments.size());
      return new Init.Xavier();
    }
    double[] values = new double[arguments.size()];
    for (int i = 0; i < values.length; i++) {
      OptionalDouble value = Numbers.finite(context, arguments.get(i));
      values[i] = value.orElse(0);
    }
    return switch (kind) {
      case "uniform" -> new Init.Uniform(values[0], values[1]);
      case "normal" -> new Init.Normal(values[0], values[1]);
      case "constant" -> new Init.Constant(values[0]);
      case "he" -> new Init.He();
      default -> new Init.Xavier();
    };
  }

  private static Init weightValues(
      CheckContext context, ArrayDecl rows, String layer, int in, int out) {
    String what = "the weight init of dense '" + layer + "'";
    if (rows.elements().size() != in) {
      context.report(
          DiagnosticCode.INIT_SHAPE_MISMATCH,
          rows.span(),
          String.format(
              Locale.ROOT,
              "dense '%s' expects %d inputs, got %d",
              layer,
              in,
              rows.elements().size()));
      return new Init.Xavier();
    }
    List<Double> values = new ArrayList<>();
    for (int r = 0; r < rows.elements().size(); r++) {
      ArrayElementDecl row = rows.elements().get(r);
      if (!(row instanceof ArrayDecl rowArray)) {
        context.report(
            DiagnosticCode.INIT_SHAPE_MISMATCH,
            row.span(),
            what + " must be a list of rows, [[…], …], one row per input");
        return new Init.Xavier();
      }
      if (rowArray.elements().size() != out) {
        context.report(
            DiagnosticCode.INIT_SHAPE_MISMATCH,
            row.span(),
            String.format(
                Locale.ROOT,
                "row %d of %s has %d values, but '%s' is %d wide",
                r + 1,
                what,
                rowArray.elements().size(),
                layer,
                out));
        return new Init.Xavier();
      }
      if (!addNumbers(context, rowArray, what, values)) {
        return new Init.Xavier();
      }
    }
    return new Init.Values(values);
  }

  private static Init biasValues(CheckContext context, ArrayDecl array, String layer, int out) {
    String what = "the bias init of dense '" + layer + "'";
    if (array.elements().size() != out) {
      context.report(
          DiagnosticCode.INIT_SHAPE_MISMATCH,
          array.span(),
          String.format(
              Locale.ROOT,
              "%s needs %d values, one per output, got %d",
              what,
              out,
              array.elements().size()));
      return new Init.Constant(0);
    }
    List<Double> values = new ArrayList<>();
    return addNumbers(context, array, what, values)
        ? new Init.Values(values)
        : new Init.Constant(0);
  }

  private static boolean addNumbers(
      CheckContext context, ArrayDecl array, String what, List<Double> values) {
    for (ArrayElementDecl element : array.elements()) {
      if (!(element instanceof NumberDecl number)) {
        context.report(
            DiagnosticCode.INIT_SHAPE_MISMATCH,
            element.span(),
            what + " nests too deep: expected a number here");
        return false;
      }
      OptionalDouble value = Numbers.finite(context, number);
      if (value.isEmpty()) {
        return false;
      }
      values.add(value.getAsDouble());
    }
    return true;
  }
}
