package dev.nnc.emit;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Spatial;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.NetworkSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What every emitter of one network shares: the model, its runtime layout, its arithmetic type and
 * the Java names of everything in the generated class (allocated once, here, in declaration order,
 * so they are deterministic).
 */
final class EmitContext {
  /** Layers with at most this many weights are unrolled into straight-line code. */
  static final int UNROLL_LIMIT = 16;

  final Model model;
  final NetworkSpec spec;
  final Numeric numeric;

  /** The input buffer, [maxRows][INPUT]. */
  final String inputBuffer;

  /**
   * The input buffer's own rows ({@code xRows}) and one block's rows ({@code xBlock}), for the
   * one-thread step that lends the block's rows to the input buffer ({@link #fusedStep()}).
   */
  final String inputRows;

  final String inputBlock;

  private final List<LayerNames> layerNames = new ArrayList<>();

  /** {@link #panel(int)} of each dense layer. */
  private final List<String> panels = new ArrayList<>();

  /** The names of the conv and pool layers, which come before the dense ones. */
  private final List<SpatialNames> spatialNames = new ArrayList<>();

  /** The stems of the layers' names so far ({@code hidden}, {@code out}). */
  private final List<String> stems = new ArrayList<>();

  EmitContext(Model model) {
    this.model = model;
    this.spec = RuntimeViews.spec(model);
    this.numeric = Numeric.of(model.precision());
    JavaNames names = new JavaNames();
    this.inputBuffer = names.allocate(JavaNames.lowerCamel(model.input().name()));
    for (Spatial layer : model.spatial()) {
      spatialNames.add(
          SpatialNames.allocate(layer, stem(JavaNames.lowerCamel(layer.name())), names));
    }
    int last = model.layers().size() - 1;
    for (int l = 0; l <= last; l++) {
      Dense layer = model.layers().get(l);
      // one stem per layer, so that all its names share a suffix when two layers' names fold
      // together (hidden_1 and Hidden1 become hidden1… and hidden12…)
      String stem = stem(JavaNames.lowerCamel(layer.name()));
      String capital = JavaNames.capitalize(stem);
      String constant = JavaNames.upperSnake(stem);
      boolean identity = layer.activation() == Activation.IDENTITY;
      String z = names.allocate(stem + "Z");
      String dz = names.allocate("d" + capital + "Z");
      boolean fusedOutput = l == last && lossWritesPreActivationDelta();
      layerNames.add(
          new LayerNames(
              names.allocate(constant + "_IN"),
              names.allocate(constant + "_OUT"),
              names.allocate(stem + "W"),
              layer.bias() ? names.allocate(stem + "B") : null,
              names.allocate("d" + capital + "W"),
              layer.bias() ? names.allocate("d" + capital + "B") : null,
              z,
              identity ? z : names.allocate(stem + "A"),
              dz,
              identity ? dz : fusedOutput ? null : names.allocate("d" + capital + "A"),
              names.allocate(stem + "Forward"),
              names.allocate(stem + "Backward"),
              (l > 0 || model.convolutional()) && !unrolled(layer)
                  ? names.allocate(stem + "WT")
                  : null,
              names.allocate(stem + "Gradients"),
              layer.dropsOut() ? names.allocate(stem + "D") : null,
              layer.dropsOut() ? names.allocate(stem + "M") : null,
              layer.dropsOut() ? names.allocate(constant + "_KEEP_THRESHOLD") : null,
              layer.dropsOut() ? names.allocate(constant + "_KEEP_SCALE") : null));
    }
    // allocated last, so that they never change the names above
    this.inputRows = names.allocate(inputBuffer + "Rows");
    this.inputBlock = names.allocate(inputBuffer + "Block");
    for (int l = 0; l <= last; l++) {
      panels.add(
          unrolled(l) || !panelsPay(model)
              ? null
              : names.allocate(stems.get(spatialNames.size() + l) + "WP"));
    }
  }

  /**
   * Batches of fewer rows than this (the train block's minibatch) keep W without a panel: the panel
   * is rewritten row by row in every sgdStep (about 0.13 ns per float of W on this machine, 0.2 per
   * double), and the faster product saves about 0.006 ns per number of W and batch row (S4 f32: 37
   * µs on 64 × 100,000), so it pays from about 25-35 rows; 64 leaves a margin for shapes measured
   * less (bench/README.md, "Seventh round"): S4's 64 rows gain 30 µs a step, S5's 10 rows lost
   * 10-20 µs.
   */
  static final int PANEL_MIN_BATCH = 64;

  /**
   * Whether the looped layers keep a panel of W: unless the train block asks for minibatches of
   * fewer than {@link #PANEL_MIN_BATCH} rows (a full batch, or no train block: the product's rows
   * are what pays, and a large batch is the usual case there).
   */
  private static boolean panelsPay(Model model) {
    return model
        .train()
        .map(train -> train.batchSize() == 0 || train.batchSize() >= PANEL_MIN_BATCH)
        .orElse(true);
  }

  /**
   * {@code hiddenWP}, the panel of a looped layer's W ({@code Kernels.newPanel}: W in the order the
   * Vector API's forward tiles read it, written with W by setParameters and sgdStep, the only
   * methods that change W), or null for an unrolled layer.
   */
  String panel(int l) {
    return panels.get(l);
  }

  /**
   * Whether the one-thread training step adds each block's dW right after the block's rows phase,
   * while the block's rows are still in cache (every looped layer's gradient through {@code
   * Kernels.matmulColumnsAdd}, the same chains in the same order, so the same bits as the weights
   * phase over the whole batch). Each block then reads and writes every dW once more (2·in·out
   * numbers, from L2) to save reading its rows of x from memory a second time (in·BLOCK_ROWS): so
   * only where every looped layer is at most BLOCK_ROWS wide (S3's 784→25 at 32 rows: 1.1-1.2× per
   * step; S2's and S4's 100-wide layers at 16 rows would re-read a dW of 0.8-2.4 MB per block).
   * Dense networks only: conv and pool layers keep the two phases.
   */
  boolean fusedStep() {
    if (!splittable() || model.convolutional()) {
      return false;
    }
    for (int l = 0; l < layerCount(); l++) {
      if (!unrolled(l) && layer(l).out() > blockRows()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A stem no other layer's stem folds to; the stems themselves are never identifiers, only the
   * names built on them are (and those are allocated one by one as well).
   */
  private String stem(String candidate) {
    String stem = candidate;
    for (int n = 2; containsFolded(stems, stem); n++) {
      stem = candidate + n;
    }
    stems.add(stem);
    return stem;
  }

  private static boolean containsFolded(List<String> list, String name) {
    String folded = name.replace("_", "").toLowerCase(java.util.Locale.ROOT);
    return list.stream()
        .anyMatch(s -> s.replace("_", "").toLowerCase(java.util.Locale.ROOT).equals(folded));
  }

  int layerCount() {
    return model.layers().size();
  }

  Dense layer(int l) {
    return model.layers().get(l);
  }

  LayerNames names(int l) {
    return layerNames.get(l);
  }

  LayerNames outputNames() {
    return layerNames.get(layerNames.size() - 1);
  }

  boolean isOutput(int l) {
    return l == layerNames.size() - 1;
  }

  /**
   * The buffer layer l reads: the input (or the last conv or pool layer's output, flattened), or
   * the previous layer's activation.
   */
  String layerInput(int l) {
    if (l == 0 && !spatialNames.isEmpty()) {
      return spatialNames.get(spatialNames.size() - 1).activation();
    }
    return l == 0 ? inputBuffer : layerNames.get(l - 1).output();
  }

  /** Whether some layer has {@code dropout(p)}. */
  boolean anyDropout() {
    return model.layers().stream().anyMatch(Dense::dropsOut);
  }

  /** The name of what dense layer l reads, for comments. */
  String layerInputName(int l) {
    return text(layer(l).inputName());
  }

  int spatialCount() {
    return spatialNames.size();
  }

  Spatial spatial(int s) {
    return model.spatial().get(s);
  }

  SpatialNames spatialNames(int s) {
    return spatialNames.get(s);
  }

  /** The buffer spatial layer s reads: the input, or the previous spatial layer's output. */
  String spatialInput(int s) {
    return s == 0 ? inputBuffer : spatialNames.get(s - 1).activation();
  }

  /**
   * Where spatial layer s's backward writes ∂loss/∂(its input); none for s = 0. After a relu conv
   * that the max pool s applies relu′ for ({@link #reluIntoPool}), the conv's δ itself.
   */
  String spatialInputDelta(int s) {
    if (s == 0) {
      return null;
    }
    SpatialNames previous = spatialNames.get(s - 1);
    return reluIntoPool(s - 1) ? previous.preActivationDelta() : previous.activationDelta();
  }

  /**
   * Whether the max pool after conv s applies the conv's relu′ in its backward: it routes each
   * window's gradient straight into the conv's δ where z > 0 at the window's maximum, so the conv
   * makes no pass of its own over its whole output (on LeNet's c1, 4,704 unpredictable branches a
   * row, 14% of the step) and has no ∂loss/∂a buffer. The same bits: relu′ is 0 or 1, so δ at a
   * maximum is the same sum of the windows' gradients, and +0.0 elsewhere.
   */
  boolean reluIntoPool(int s) {
    return s + 1 < spatialCount()
        && spatial(s) instanceof Conv conv
        && conv.activation() == Activation.RELU
        && spatial(s + 1) instanceof Pool pool
        && pool.max();
  }

  /**
   * Every weight matrix the penalty and the flat view walk, as arrays of rows: the conv kernels
   * (filters × in_ch·kh·kw) and the dense W (in × out), in the layout's order.
   *
   * @param writtenBy the method that writes the gradient whole rather than adding to it, or null
   */
  record WeightMatrix(
      String tensor,
      String weights,
      String gradient,
      String rowsConstant,
      String colsConstant,
      String writtenBy) {}

  List<WeightMatrix> weightMatrices() {
    List<WeightMatrix> matrices = new ArrayList<>();
    for (int s = 0; s < spatialCount(); s++) {
      SpatialNames names = spatialNames.get(s);
      if (names.weights() != null) {
        matrices.add(
            new WeightMatrix(
                spatial(s).name() + ".W",
                names.weights(),
                names.weightGradient(),
                names.filtersConstant(),
                names.patchConstant(),
                names.gradients()));
      }
    }
    for (int l = 0; l < layerCount(); l++) {
      LayerNames names = layerNames.get(l);
      matrices.add(
          new WeightMatrix(
              layer(l).name() + ".W",
              names.weights(),
              names.weightGradient(),
              names.inConstant(),
              names.outConstant(),
              unrolled(l) ? null : names.gradients()));
    }
    return matrices;
  }

  /** The width constant of what layer l reads. */
  String layerInputWidth(int l) {
    return layerNames.get(l).inConstant();
  }

  /**
   * Where layer l's backward writes ∂loss/∂(its input): the previous layer's da; none for l = 0.
   */
  String layerInputDelta(int l) {
    if (l == 0 && !spatialNames.isEmpty()) {
      return spatialNames.get(spatialNames.size() - 1).activationDelta();
    }
    return l == 0 ? null : layerNames.get(l - 1).activationDelta();
  }

  /**
   * Binary cross-entropy on a sigmoid output: the loss writes δ = ∂loss/∂z = (a − t)·scale directly
   * (exact, and stable where a rounds to 0 or 1), so the output layer skips its activation's
   * backward.
   */
  boolean lossWritesPreActivationDelta() {
    return model.loss().kind() == Loss.Kind.BINARY_CROSS_ENTROPY
        && model.outputLayer().activation() == Activation.SIGMOID;
  }

  /** Tiny layers become straight-line code: no loop overhead, constant indices. */
  boolean unrolled(int l) {
    return unrolled(layer(l));
  }

  /** Whether {@code layer} is unrolled: in the trainer, and alike in the inference class. */
  static boolean unrolled(Dense layer) {
    return (long) layer.in() * layer.out() <= UNROLL_LIMIT;
  }

  /**
   * Rows per block of a training step: about 2 MFLOP of matrix products each (0.2 ms at 10 GFLOP/s,
   * some hundred times the cost of handing a block to another thread), a multiple of 8 between 16
   * and 1,024. It depends on the network only, never on the thread count: that is what makes every
   * thread count give the same bits.
   */
  int blockRows() {
    long flopsPerRow = 0;
    for (int l = 0; l < layerCount(); l++) {
      Dense layer = layer(l);
      flopsPerRow += (l == 0 && !model.convolutional() ? 4L : 6L) * layer.in() * layer.out();
    }
    for (Spatial layer : model.spatial()) {
      if (layer instanceof Conv conv) {
        flopsPerRow += 6L * conv.outSize() * conv.patchSize();
      }
    }
    long rows = (2_000_000L + flopsPerRow - 1) / Math.max(1, flopsPerRow);
    rows = (rows + 7) / 8 * 8;
    return (int) Math.min(1024, Math.max(16, rows));
  }

  /** Whether a training step can split its batch over threads: networks with a looped layer. */
  boolean splittable() {
    return anyLooped() || model.convolutional();
  }

  /** Whether some layer keeps a copy of Wᵀ (so the class has {@code transposeWeights()}). */
  boolean anyTransposed() {
    return layerNames.stream().anyMatch(n -> n.transposedWeights() != null);
  }

  /** Whether any layer is looped, so that the class needs the {@link KernelEmitter} kernels. */
  boolean anyLooped() {
    for (int l = 0; l < layerCount(); l++) {
      if (!unrolled(l)) {
        return true;
      }
    }
    return false;
  }

  /** {@code 784×30}. */
  static String shape(int rows, int cols) {
    return rows + "×" + cols;
  }

  /** {@code " (line 4)"}, or nothing for a construct without a source position. */
  static String line(dev.nnc.diag.Span span) {
    return span.line() > 0 ? " (line " + span.line() + ")" : "";
  }

  /** A user name, made safe for a comment. */
  static String text(String userText) {
    return JavaNames.commentText(userText);
  }
}
