package dev.nnc.testing;

import dev.nnc.diag.Span;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Init;
import dev.nnc.ir.Input;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Penalty;
import dev.nnc.ir.Precision;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds checked IR {@link Model}s by hand, so tests need neither the parser nor the checker:
 *
 * <pre>{@code
 * Model model = ModelFixtures.network("Tiny", 3)
 *     .dense("hidden", 5, Activation.TANH)
 *     .denseNoBias("out", 2, Activation.SIGMOID)
 *     .loss(Loss.Kind.SQUARED_ERROR, Reduction.SUM)   // dense targets of the output width
 *     .penalty(0.1, false)
 *     .build();
 * }</pre>
 *
 * The builder does not check what the checker would (e.g. that softmax cross-entropy reads an
 * identity layer); it builds what it is told.
 */
public final class ModelFixtures {
  private ModelFixtures() {}

  /** Starts a network named {@code name} whose input has {@code inputWidth} columns. */
  public static Builder network(String name, int inputWidth) {
    return new Builder(name, inputWidth);
  }

  /** A fluent builder of a {@link Model}; layers chain in the order they are added. */
  public static final class Builder {
    private final String name;
    private final int inputWidth;
    private final List<Dense> layers = new ArrayList<>();
    private Precision precision = Precision.DOUBLE;
    private Loss.Kind lossKind = Loss.Kind.SQUARED_ERROR;
    private Reduction reduction = Reduction.MEAN;
    private boolean labels;
    private boolean binaryLabel;
    private Optional<Penalty> penalty = Optional.empty();

    private Builder(String name, int inputWidth) {
      this.name = name;
      this.inputWidth = inputWidth;
    }

    public Builder precision(Precision value) {
      this.precision = value;
      return this;
    }

    /** A dense layer with a bias. */
    public Builder dense(String layerName, int out, Activation activation) {
      return dense(layerName, out, activation, true);
    }

    /** A dense layer without a bias ({@code nobias}). */
    public Builder denseNoBias(String layerName, int out, Activation activation) {
      return dense(layerName, out, activation, false);
    }

    public Builder dense(String layerName, int out, Activation activation, boolean bias) {
      String inputName = layers.isEmpty() ? "x" : layers.get(layers.size() - 1).name();
      int in = layers.isEmpty() ? inputWidth : layers.get(layers.size() - 1).out();
      layers.add(
          new Dense(
              layerName,
              inputName,
              in,
              out,
              bias,
              activation,
              new Init.Xavier(),
              new Init.Constant(0),
              new Span(layers.size() + 3, 5, 5)));
      return this;
    }

    /**
     * The loss. Squared error and binary cross-entropy take dense targets of the output width;
     * softmax cross-entropy takes labels.
     */
    public Builder loss(Loss.Kind kind, Reduction lossReduction) {
      this.lossKind = kind;
      this.reduction = lossReduction;
      this.labels = kind == Loss.Kind.SOFTMAX_CROSS_ENTROPY;
      return this;
    }

    /** Squared error or binary cross-entropy against {@code onehot(y)} of integer labels. */
    public Builder onehotLoss(Loss.Kind kind, Reduction lossReduction) {
      if (kind == Loss.Kind.SOFTMAX_CROSS_ENTROPY) {
        throw new IllegalArgumentException("softmax cross-entropy takes labels directly");
      }
      this.lossKind = kind;
      this.reduction = lossReduction;
      this.labels = true;
      return this;
    }

    /** Binary cross-entropy of one sigmoid output against a 0/1 label (two classes). */
    public Builder binaryLabelLoss(Reduction lossReduction) {
      this.lossKind = Loss.Kind.BINARY_CROSS_ENTROPY;
      this.reduction = lossReduction;
      this.labels = true;
      this.binaryLabel = true;
      return this;
    }

    /** {@code penalty l2(coefficient)}, or {@code penalty l2(coefficient) / 2m}. */
    public Builder penalty(double coefficient, boolean overTwoM) {
      this.penalty = Optional.of(new Penalty(coefficient, overTwoM, Span.NONE));
      return this;
    }

    /** {@code penalty l1(coefficient)}: λ · Σ|W|. */
    public Builder l1Penalty(double coefficient) {
      this.penalty = Optional.of(new Penalty(Penalty.Norm.L1, coefficient, false, Span.NONE));
      return this;
    }

    public Model build() {
      if (layers.isEmpty()) {
        throw new IllegalStateException("a network needs at least one dense layer");
      }
      int outputs = layers.get(layers.size() - 1).out();
      Target target =
          new Target(
              "y",
              labels ? Target.Kind.LABELS : Target.Kind.DENSE,
              binaryLabel ? 2 : outputs,
              -1,
              Span.NONE);
      boolean onehot = labels && lossKind != Loss.Kind.SOFTMAX_CROSS_ENTROPY && !binaryLabel;
      return new Model(
          name,
          name + ".nn",
          precision,
          new Input("x", inputWidth, List.of(), inputWidth, -1, null, new Span(2, 5, 5)),
          layers,
          target,
          new Loss(lossKind, reduction, onehot, Span.NONE),
          penalty,
          Optional.empty(),
          new Span(1, 1, 7));
    }
  }
}
