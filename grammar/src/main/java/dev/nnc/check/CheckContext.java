package dev.nnc.check;

import dev.nnc.ast.DenseDecl;
import dev.nnc.ast.FileDecl;
import dev.nnc.ast.InputDecl;
import dev.nnc.ast.LossDecl;
import dev.nnc.ast.NetworkDecl;
import dev.nnc.ast.PenaltyDecl;
import dev.nnc.ast.PrecisionDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.TrainDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.DiagnosticCollector;
import dev.nnc.diag.SourceText;
import dev.nnc.diag.Span;
import dev.nnc.ir.Activation;
import dev.nnc.ir.DataSource;
import dev.nnc.ir.Init;
import dev.nnc.ir.InlineData;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Optimizer;
import dev.nnc.ir.Penalty;
import dev.nnc.ir.Precision;
import dev.nnc.ir.Target;
import dev.nnc.ir.Train;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the passes know about one file, filled in as they run: each pass reads what earlier passes
 * established (and can rely on it, since the pipeline stops after a pass with errors) and adds its
 * own findings. {@link IrBuilder} turns the finished context into the IR.
 */
final class CheckContext {
  final SourceText source;
  final FileDecl file;
  final DiagnosticCollector diagnostics;

  // BlockStructurePass
  NetworkDecl network;
  Optional<TrainDecl> train = Optional.empty();

  // NetworkLayoutPass: the statements that matter, by kind
  InputDecl input;
  final List<DenseDecl> denseLayers = new ArrayList<>();

  /** The TargetDecl or LabelDecl. */
  StatementDecl targetStatement;

  LossDecl loss;
  Optional<PenaltyDecl> penaltyStatement = Optional.empty();
  Optional<PrecisionDecl> precisionStatement = Optional.empty();

  // PrecisionPass
  Precision precision = Precision.DOUBLE;

  // ShapePass
  int inputRawWidth;
  int inputWidth;
  final List<Integer> powers = new ArrayList<>();
  int inputStandardizeDdof = -1;
  String inputDimensionName;

  /** (C, H, W) of an image input ({@code input x[1, 28, 28]}); null for a flat input. */
  int[] inputShape;

  /** The resolved {@code [filters]} of each conv statement. */
  final java.util.Map<dev.nnc.ast.ConvDecl, Integer> convFilters = new java.util.HashMap<>();

  /** ConvLayerPass (run by ShapePass): the conv and pool layers, in order. */
  final List<dev.nnc.ir.Spatial> spatialLayers = new ArrayList<>();

  /** Output width of each dense layer, in order. */
  final List<Integer> layerWidths = new ArrayList<>();

  /** Dense targets: the declared width; labels: unknown (0) until the loss pass. */
  int targetDeclaredWidth;

  int targetStandardizeDdof = -1;

  // DenseLayerPass
  final List<Activation> activations = new ArrayList<>();
  final List<Boolean> biases = new ArrayList<>();
  final List<Init> weightInits = new ArrayList<>();
  final List<Init> biasInits = new ArrayList<>();

  /** Each dense layer's dropout rate, 0 for none, and the span of its option (null for none). */
  final List<Double> dropouts = new ArrayList<>();

  final List<dev.nnc.diag.Span> dropoutSpans = new ArrayList<>();

  // LossPass
  Target target;
  Loss lossIr;
  Optional<Penalty> penalty = Optional.empty();

  // OptimizerPass: for cg and lbfgs the learning rate and decay stay 1
  Optimizer optimizer = new Optimizer.Sgd();
  double learningRate = 1;
  double decay = 1;

  /** cg and lbfgs: their iterations; 0 for the other optimizers. */
  int iterations;

  // TrainPass, DataSourcePass and InlineDataPass
  Optional<Train> trainIr = Optional.empty();
  Optional<DataSource> dataSource = Optional.empty();
  Optional<DataSource> validation = Optional.empty();
  // TrainingFeaturesPass: validate split, stop early
  double validationSplit;
  Optional<dev.nnc.ir.EarlyStopping> earlyStopping = Optional.empty();
  Optional<dev.nnc.ir.Schedule> schedule = Optional.empty();
  Optional<InlineData> inlineData = Optional.empty();

  CheckContext(SourceText source, FileDecl file, DiagnosticCollector diagnostics) {
    this.source = source;
    this.file = file;
    this.diagnostics = diagnostics;
  }

  void report(DiagnosticCode code, Span span, Object... arguments) {
    diagnostics.report(code, span, arguments);
  }

  /** Whether the optimizer works on the full batch for a number of iterations (cg, lbfgs). */
  boolean fullBatchOptimizer() {
    return optimizer instanceof Optimizer.ConjugateGradient || optimizer instanceof Optimizer.Lbfgs;
  }

  /** The input width of dense layer {@code index}: the previous layer's width, or the input's. */
  int layerInputWidth(int index) {
    if (index == 0 && !spatialLayers.isEmpty()) {
      return spatialLayers.get(spatialLayers.size() - 1).outSize();
    }
    return index == 0 ? inputWidth : layerWidths.get(index - 1);
  }

  /** The name dense layer {@code index} reads. */
  String layerInputName(int index) {
    if (index == 0 && !spatialLayers.isEmpty()) {
      return spatialLayers.get(spatialLayers.size() - 1).name();
    }
    return index == 0 ? input.name().text() : denseLayers.get(index - 1).name().text();
  }

  /** Just the first {@code length} characters of a span: a statement's keyword, say. */
  static Span head(Span span, int length) {
    return new Span(span.line(), span.column(), Math.max(1, length));
  }

  /** A statement's keyword, for messages that point at the statement as a whole. */
  static Span keywordSpan(StatementDecl statement) {
    return head(statement.span(), statement.keyword().length());
  }
}
