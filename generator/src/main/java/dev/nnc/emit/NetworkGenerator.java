package dev.nnc.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Model;
import dev.nnc.ir.Penalty;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.parallel.DataParallel;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Generates the Java class of a checked network: {@code public final class <name> implements
 * Network}, depending on nothing but the runtime and the JDK. Its parts come from the emitters:
 * {@link SpecEmitter} (shapes, {@code SPEC}, train recipe, inline data), {@link DenseLayerEmitter}
 * (each layer's forward with its backward right under it), {@link ActivationEmitter}, {@link
 * LossEmitter}, {@link PenaltyEmitter} and {@link FlatViewEmitter}; this class adds the fields, the
 * constructors and the {@link Network} methods that drive the passes.
 *
 * <p>A training step ({@code lossAndGradient}, {@code sgdStep}) allocates nothing: every buffer is
 * {@code [maxRows][width]}, allocated by the constructor.
 */
public final class NetworkGenerator extends SourceFileGenerator<Model> {
  static final ClassName BATCH = ClassName.get("dev.nnc.runtime", "Batch");
  static final ClassName FIXED_BATCH = ClassName.get("dev.nnc.runtime", "FixedBatch");
  static final ClassName NETWORK = ClassName.get(Network.class);

  /**
   * Batch size of the no-argument constructor when neither a batch size nor inline data gives one.
   */
  static final int DEFAULT_MAX_ROWS = 64;

  @Override
  protected String sourceFile(Model model) {
    return model.sourceFile();
  }

  @Override
  protected TypeSpec.Builder write(Model model) {
    EmitContext context = new EmitContext(model);
    SpecEmitter spec = new SpecEmitter(context);
    DenseLayerEmitter dense = new DenseLayerEmitter(context);
    ConvLayerEmitter conv = new ConvLayerEmitter(context);
    LossEmitter loss = new LossEmitter(context);
    TypeSpec.Builder type =
        TypeSpec.classBuilder(model.name())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(NETWORK)
            .addJavadoc(classJavadoc(context));
    if (context.splittable()) {
      type.addSuperinterface(DataParallel.class);
    }

    type.addFields(spec.constants());
    type.addFields(conv.constants());
    type.addField(spec.spec());
    type.addFields(fields(context));
    type.addMethods(constructors(context));
    if (context.splittable()) {
      type.addMethods(ParallelStepEmitter.threadMethods(context));
    }
    spec.trainConfig().ifPresent(type::addMethod);
    spec.inlineData().ifPresent(type::addMethod);
    spec.recipe().ifPresent(type::addMethod);

    type.addMethod(
        MethodSpec.methodBuilder("spec")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(SpecEmitter.NETWORK_SPEC)
            .addStatement("return SPEC")
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("maxRows")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(int.class)
            .addStatement("return maxRows")
            .build());
    type.addMethod(lossMethod(context));
    type.addMethod(lossAndGradientMethod(context));
    if (context.splittable()) {
      type.addMethod(lossAndGradientOfFixedMethod(context));
      if (context.numeric == Numeric.FLOAT) {
        type.addMethod(newBatchMethod());
      }
    }
    type.addMethod(predictMethod(context));
    type.addMethod(lastOutputsMethod(context));
    type.addMethods(new FlatViewEmitter(context).methods());
    type.addMethod(setPenaltyExampleCountMethod());
    if (context.anyDropout()) {
      type.addMethod(setDropoutMethod());
    }

    type.addMethod(checkBatchMethod(context));
    type.addMethod(loadInputMethod(context));
    if (context.numeric == Numeric.FLOAT) {
      type.addMethod(loadBatchMethod(context));
    }
    type.addMethod(forwardMethod(context));
    if (context.splittable()) {
      type.addMethod(ParallelStepEmitter.partMethod(context));
      type.addMethod(ParallelStepEmitter.weightGradientsMethod(context));
      type.addMethods(ParallelStepEmitter.taskMethods());
      type.addMethod(ParallelStepEmitter.blockLossAndGradientMethod(context));
      type.addMethod(ParallelStepEmitter.blockRowsLossAndGradientMethod(context));
    }
    dense.transposeWeights().ifPresent(type::addMethod);
    for (int s = 0; s < context.spatialCount(); s++) {
      type.addMethod(conv.forward(s));
      if (conv.hasBackward(s)) {
        type.addMethod(conv.backward(s));
      }
      if (context.spatial(s) instanceof dev.nnc.ir.Conv) {
        type.addMethod(conv.gradients(s));
      }
    }
    for (int l = 0; l < context.layerCount(); l++) {
      type.addMethod(dense.forward(l));
      type.addMethod(dense.backward(l));
      type.addMethod(dense.gradients(l));
    }
    type.addMethod(loss.method(false));
    type.addMethod(loss.method(true));
    model.penalty().ifPresent(p -> type.addMethods(new PenaltyEmitter(context, p).methods()));
    if (spec.needsParser()) {
      type.addMethod(SpecEmitter.parser());
    }
    return type;
  }

  // Emits:
  //
  //   /**
  //    * {@code Nielsen}, from {@code nielsen.nn}:
  //    * <pre>
  //    * x (784) → hidden (30, sigmoid) → out (10, sigmoid)
  //    * loss    squared_error(out, onehot(y)) reduce half_batch_mean
  //    * </pre>
  //    * …
  //    */
  private static CodeBlock classJavadoc(EmitContext context) {
    Model model = context.model;
    CodeBlock.Builder doc = CodeBlock.builder();
    doc.add(
        "The network {@code $L} of {@code $L}, in $L precision:\n\n<pre>\n$L ($L)",
        EmitContext.text(model.name()),
        EmitContext.text(model.sourceFile()),
        context.numeric.scalar(),
        EmitContext.text(model.input().name()),
        model.input().width());
    for (Dense layer : model.layers()) {
      doc.add(
          " → $L ($L, $L$L$L)",
          EmitContext.text(layer.name()),
          layer.out(),
          layer.activation().keyword(),
          layer.bias() ? "" : ", no bias",
          layer.dropsOut() ? ", dropout " + layer.dropout() : "");
    }
    doc.add("\nloss    $L\n", LossEmitter.describe(model));
    model.penalty().ifPresent(p -> doc.add("penalty $L\n", penaltyText(p)));
    doc.add("</pre>\n\n");
    doc.add(
        "Parameters live in one array per tensor (W as rows (in, out), b), and so do their"
            + " gradients; the flat\nview of {@link #getParameters} follows {@link #SPEC}. Buffers"
            + " are allocated once, for {@code maxRows} rows:\na training step allocates nothing."
            + " Parameters start at zero: call {@link #initialize(long)}.\n");
    return doc.build();
  }

  private static String penaltyText(Penalty penalty) {
    if (penalty.l1()) {
      return "l1(" + penalty.coefficient() + "): λ · Σ|W|";
    }
    return penalty.overTwoM()
        ? "l2(" + penalty.coefficient() + ") / 2m: λ/(2m) · ΣW²"
        : "l2(" + penalty.coefficient() + "): reg · ΣW²";
  }

  // Emits:
  //
  //   private final int maxRows;
  //   private int penaltyExampleCount;
  //   private final double[][] hiddenW = new double[HIDDEN_IN][HIDDEN_OUT];
  //   private final double[] hiddenB = new double[HIDDEN_OUT];
  //   private final double[][] dHiddenW = new double[HIDDEN_IN][HIDDEN_OUT];
  //   …
  //   /** x (maxRows×784). */
  //   private final double[][] x;
  //   private final double[][] hiddenZ;
  //   …
  private static List<FieldSpec> fields(EmitContext context) {
    Numeric numeric = context.numeric;
    List<FieldSpec> fields = new ArrayList<>();
    fields.add(
        FieldSpec.builder(int.class, "maxRows", Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("Rows every buffer has room for.\n")
            .build());
    fields.add(
        FieldSpec.builder(int.class, "penaltyExampleCount", Modifier.PRIVATE)
            .addJavadoc("The m of a λ/(2m) penalty; 0 = the batch's rows.\n")
            .build());
    fields.add(
        FieldSpec.builder(int.class, "outputRows", Modifier.PRIVATE)
            .addJavadoc(
                "Rows of the output buffer that hold the outputs of the last loss or"
                    + " lossAndGradient ({@link #lastOutputs}).\n")
            .build());
    fields.addAll(new ConvLayerEmitter(context).parameterFields());
    fields.addAll(new ConvLayerEmitter(context).scratchFields());
    for (int l = 0; l < context.layerCount(); l++) {
      Dense layer = context.layer(l);
      LayerNames names = context.names(l);
      String name = EmitContext.text(layer.name());
      String shape = EmitContext.shape(layer.in(), layer.out());
      fields.add(
          matrixField(numeric, names.weights(), names, "{@code " + name + ".W} (" + shape + ")"));
      if (context.panel(l) != null) {
        fields.add(
            FieldSpec.builder(numeric.vector(), context.panel(l), Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc(
                    "{@code $L.W} ($L) again, as the panel its forward product reads"
                        + " (Kernels.newPanel: the Vector API\ntiles' order, each group of vectors of"
                        + " every row one after another; empty where the kernels read W itself),"
                        + "\nwritten row by row with W by setParameters and sgdStep, the only"
                        + " methods that change W.\n",
                    name,
                    shape)
                .initializer("$T.INSTANCE.newPanel($N)", KernelEmitter.KERNELS, names.weights())
                .build());
      }
      if (layer.bias()) {
        fields.add(
            vectorField(
                numeric, names.bias(), names, "{@code " + name + ".b} (" + layer.out() + ")"));
      }
      fields.add(
          matrixField(
              numeric, names.weightGradient(), names, "∂loss/∂" + name + ".W (" + shape + ")"));
      if (layer.bias()) {
        fields.add(
            vectorField(
                numeric,
                names.biasGradient(),
                names,
                "∂loss/∂" + name + ".b (" + layer.out() + ")"));
      }
      if (names.transposedWeights() != null) {
        fields.add(
            FieldSpec.builder(
                    numeric.matrix(), names.transposedWeights(), Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc(
                    "Wᵀ of {@code $L} ($L), copied from W by its backward so that dx is an axpy"
                        + " along the inputs.\n",
                    name,
                    EmitContext.shape(layer.out(), layer.in()))
                .initializer(
                    "new $T[$N][$N]", numeric.scalar(), names.outConstant(), names.inConstant())
                .build());
      }
    }
    if (context.splittable()) {
      fields.addAll(ParallelStepEmitter.fields(context));
    }
    if (context.anyDropout()) {
      fields.addAll(dropoutFields(context));
    }
    if (context.model.loss().weighted()) {
      fields.add(LossEmitter.classWeightsField(context.model.loss()));
    }
    for (Buffer buffer : buffers(context)) {
      fields.add(
          FieldSpec.builder(
                  buffer.indices()
                      ? com.palantir.javapoet.TypeName.get(int[][].class)
                      : numeric.matrix(),
                  buffer.name(),
                  Modifier.PRIVATE,
                  Modifier.FINAL)
              .addJavadoc("$L (maxRows×$L).\n", buffer.description(), buffer.width())
              .build());
    }
    if (LossEmitter.softplusRows(context)) {
      fields.add(
          FieldSpec.builder(
                  double[][].class, LossEmitter.SOFTPLUS_ROWS, Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc(
                  "softplus(z) of each output, in double, for the binary cross-entropy"
                      + " (maxRows×OUTPUT).\n")
              .build());
    }
    if (LossEmitter.softmaxExpRows(context.model, numeric)) {
      fields.add(
          FieldSpec.builder(
                  double[][].class, LossEmitter.SOFTMAX_EXP, Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc(
                  "Each row's scores widened to double, then exp(s − max) of the softmax, computed"
                      + " once for the loss and the δ (maxRows×OUTPUT).\n")
              .build());
    }
    if (context.splittable()) {
      fields.add(
          FieldSpec.builder(numeric.matrix(), context.inputRows, Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc(
                  "The rows of {@code $N} as allocated (the one-thread step and a fixed batch's"
                      + " step lend it other\nrows and put these back).\n",
                  context.inputBuffer)
              .build());
      fields.add(
          FieldSpec.builder(
                  ParameterizedTypeName.get(ClassName.get(WeakReference.class), FIXED_BATCH),
                  "heldFixed",
                  Modifier.PRIVATE)
              .addJavadoc(
                  "The fixed batch whose inputs {@code heldRows} holds, or null (it never changes,"
                      + " so neither do they);\nheld weakly, so that the network does not keep it"
                      + " alive.\n")
              .build());
      fields.add(
          FieldSpec.builder(numeric.matrix(), "heldRows", Modifier.PRIVATE)
              .addJavadoc(
                  "{@code heldFixed}'s inputs as {@code loadInput} converts them (rows×INPUT),"
                      + " made once per fixed batch;\nno other call writes them.\n")
              .build());
      fields.add(
          FieldSpec.builder(numeric.matrix(), "heldInputs", Modifier.PRIVATE)
              .addJavadoc(
                  "{@code heldRows} during a step of the fixed batch (its rows are lent to {@code"
                      + " $N} instead of loaded),\nelse null.\n",
                  context.inputBuffer)
              .build());
    }
    if (context.fusedStep()) {
      fields.add(
          FieldSpec.builder(numeric.matrix(), context.inputBlock, Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc(
                  "One block's input rows for the one-thread step (min(maxRows, BLOCK_ROWS)×$L):"
                      + " read by the\nforward product and again by dW, they stay in cache, where"
                      + " the rows of a large batch would not.\n",
                  context.model.input().width())
              .build());
    }
    return fields;
  }

  // Emits (a layer hidden with dropout(0.5)):
  //
  //   /** Units of {@code hidden} are kept when their 53 uniform bits reach ⌈0.5 · 2⁵³⌉. */
  //   private static final long HIDDEN_KEEP_THRESHOLD = Dropout.threshold(0.5);
  //   /** 1/(1 − 0.5), the factor of the kept outputs of {@code hidden}. */
  //   private static final double HIDDEN_KEEP_SCALE = Dropout.scale(0.5);
  //   private long dropoutSeed;
  //   private long dropoutStep = -1;
  //   private boolean dropping;
  //   private int dropoutRowOffset;
  private static List<FieldSpec> dropoutFields(EmitContext context) {
    Numeric numeric = context.numeric;
    List<FieldSpec> fields = new ArrayList<>();
    for (int l = 0; l < context.layerCount(); l++) {
      Dense layer = context.layer(l);
      if (!layer.dropsOut()) {
        continue;
      }
      LayerNames names = context.names(l);
      String name = EmitContext.text(layer.name());
      fields.add(
          FieldSpec.builder(
                  long.class,
                  names.keepThreshold(),
                  Modifier.PRIVATE,
                  Modifier.STATIC,
                  Modifier.FINAL)
              .addJavadoc(
                  "Units of {@code $L} are kept when their 53 uniform bits reach ⌈$L · 2⁵³⌉"
                      + " (probability 1 − $L).\n",
                  name,
                  layer.dropout(),
                  layer.dropout())
              .initializer("$T.threshold($L)", DenseLayerEmitter.DROPOUT, layer.dropout())
              .build());
      fields.add(
          FieldSpec.builder(
                  numeric.scalar(),
                  names.keepScale(),
                  Modifier.PRIVATE,
                  Modifier.STATIC,
                  Modifier.FINAL)
              .addJavadoc(
                  "1/(1 − $L), the factor of the kept outputs of {@code $L}.\n",
                  layer.dropout(),
                  name)
              .initializer(
                  numeric == Numeric.DOUBLE ? "$T.scale($L)" : "(float) $T.scale($L)",
                  DenseLayerEmitter.DROPOUT,
                  layer.dropout())
              .build());
    }
    fields.add(
        FieldSpec.builder(long.class, "dropoutSeed", Modifier.PRIVATE)
            .addJavadoc("The seed of the dropout masks ({@link #setDropout}).\n")
            .build());
    fields.add(
        FieldSpec.builder(long.class, "dropoutStep", Modifier.PRIVATE)
            .addJavadoc("The training step whose masks loss and lossAndGradient use; < 0: none.\n")
            .initializer("-1")
            .build());
    fields.add(
        FieldSpec.builder(boolean.class, "dropping", Modifier.PRIVATE)
            .addJavadoc(
                "Whether the forward pass under way drops (loss and lossAndGradient with a step"
                    + " set; never predict).\n")
            .build());
    fields.add(
        FieldSpec.builder(int.class, "dropoutRowOffset", Modifier.PRIVATE)
            .addJavadoc(
                "The batch row of buffer row 0: a block's first row when only the block's rows"
                    + " are given.\n")
            .build());
    return fields;
  }

  // Emits:
  //
  //   @Override
  //   public void setDropout(long seed, long step) {
  //     this.dropoutSeed = seed;
  //     this.dropoutStep = step;
  //   }
  private static MethodSpec setDropoutMethod() {
    return MethodSpec.methodBuilder("setDropout")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(
            "Dropout's masks: those of training step {@code step} (≥ 0) drawn from {@code seed}, for"
                + " every {@link #loss}\nand {@link #lossAndGradient} until the next call; {@code"
                + " step} < 0 drops nothing (evaluation).\n{@link #predict} never drops.\n")
        .addParameter(long.class, "seed")
        .addParameter(long.class, "step")
        .addStatement("this.dropoutSeed = seed")
        .addStatement("this.dropoutStep = step")
        .build();
  }

  private static FieldSpec matrixField(Numeric numeric, String name, LayerNames layer, String doc) {
    return FieldSpec.builder(numeric.matrix(), name, Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("$L.\n", doc)
        .initializer("new $T[$N][$N]", numeric.scalar(), layer.inConstant(), layer.outConstant())
        .build();
  }

  private static FieldSpec vectorField(Numeric numeric, String name, LayerNames layer, String doc) {
    return FieldSpec.builder(numeric.vector(), name, Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("$L.\n", doc)
        .initializer("new $T[$N]", numeric.scalar(), layer.outConstant())
        .build();
  }

  /** A per-row buffer [maxRows][width]: its field, what it holds, and its width constant. */
  private record Buffer(
      String name, String description, int width, String widthConstant, boolean indices) {
    Buffer(String name, String description, int width, String widthConstant) {
      this(name, description, width, widthConstant, false);
    }
  }

  private static List<Buffer> buffers(EmitContext context) {
    List<Buffer> buffers = new ArrayList<>();
    buffers.add(
        new Buffer(
            context.inputBuffer,
            "The input rows {@code " + EmitContext.text(context.model.input().name()) + "}",
            context.model.input().width(),
            "INPUT"));
    for (ConvLayerEmitter.Buffer b : new ConvLayerEmitter(context).buffers()) {
      buffers.add(new Buffer(b.name(), b.description(), b.width(), b.widthConstant(), b.indices()));
    }
    for (int l = 0; l < context.layerCount(); l++) {
      Dense layer = context.layer(l);
      LayerNames names = context.names(l);
      String name = EmitContext.text(layer.name());
      int width = layer.out();
      String constant = names.outConstant();
      boolean identity = names.activation().equals(names.preActivation());
      buffers.add(
          new Buffer(
              names.preActivation(),
              "z of {@code " + name + "}" + (identity ? ", also its output a (identity)" : ""),
              width,
              constant));
      if (!identity) {
        buffers.add(
            new Buffer(
                names.activation(),
                "a = " + layer.activation().keyword() + "(z) of {@code " + name + "}",
                width,
                constant));
      }
      buffers.add(
          new Buffer(
              names.preActivationDelta(),
              "δ = ∂loss/∂z of {@code " + name + "}" + (identity ? ", also ∂loss/∂a" : ""),
              width,
              constant));
      if (!identity && names.activationDelta() != null) {
        buffers.add(
            new Buffer(
                names.activationDelta(),
                "∂loss/∂a of {@code " + name + "}" + (layer.dropsOut() ? " (first ∂loss/∂d)" : ""),
                width,
                constant));
      }
      if (layer.dropsOut()) {
        buffers.add(
            new Buffer(
                names.dropped(),
                "d = a ⊙ m of {@code " + name + "}, what the next layer reads (dropout)",
                width,
                constant));
        buffers.add(
            new Buffer(
                names.mask(),
                "the dropout mask m of {@code " + name + "}: 0 or 1/(1 − p)",
                width,
                constant));
      }
    }
    return buffers;
  }

  // Emits:
  //
  //   public Nielsen(int maxRows) {
  //     if (maxRows < 1) {
  //       throw new IllegalArgumentException("maxRows must be positive, got " + maxRows);
  //     }
  //     this.maxRows = maxRows;
  //     this.x = new double[maxRows][INPUT];
  //     this.hiddenZ = new double[maxRows][HIDDEN_OUT];
  //     …
  //   }
  //
  //   public Nielsen() {
  //     this(BATCH);
  //   }
  private static List<MethodSpec> constructors(EmitContext context) {
    Numeric numeric = context.numeric;
    MethodSpec.Builder sized =
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc(
                "A network with buffers for batches of up to {@code maxRows} rows (larger {@link"
                    + " #predict} inputs go in chunks).\n")
            .addParameter(int.class, "maxRows")
            .beginControlFlow("if (maxRows < 1)")
            .addStatement(
                "throw new $T($S + maxRows)",
                IllegalArgumentException.class,
                "maxRows must be positive, got ")
            .endControlFlow()
            .addStatement("this.maxRows = maxRows");
    if (context.splittable()) {
      sized.addCode(ParallelStepEmitter.constructorStatements());
    }
    for (Buffer buffer : buffers(context)) {
      sized.addStatement(
          "this.$N = new $T[maxRows][$N]",
          buffer.name(),
          buffer.indices() ? int.class : numeric.scalar(),
          buffer.widthConstant());
    }
    if (LossEmitter.softplusRows(context)) {
      sized.addStatement("this.$N = new double[maxRows][OUTPUT]", LossEmitter.SOFTPLUS_ROWS);
    }
    if (LossEmitter.softmaxExpRows(context.model, numeric)) {
      sized.addStatement("this.$N = new double[maxRows][OUTPUT]", LossEmitter.SOFTMAX_EXP);
    }
    if (context.splittable()) {
      sized.addStatement("this.$N = $N.clone()", context.inputRows, context.inputBuffer);
    }
    if (context.fusedStep()) {
      sized.addStatement(
          "this.$N = new $T[$T.min(maxRows, BLOCK_ROWS)][INPUT]",
          context.inputBlock,
          numeric.scalar(),
          Math.class);
    }
    Model model = context.model;
    MethodSpec.Builder standard = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC);
    if (model.train().filter(t -> t.batchSize() > 0).isPresent()) {
      standard
          .addJavadoc("A network with buffers for {@link #BATCH} rows, the recipe's batch size.\n")
          .addStatement("this(BATCH)");
    } else if (model.train().flatMap(t -> t.data()).isPresent()) {
      int rows = model.train().get().data().get().rows();
      standard
          .addJavadoc("A network with buffers for the $L rows of the inline data.\n", rows)
          .addStatement("this($L)", rows);
    } else {
      standard
          .addJavadoc("A network with buffers for $L rows.\n", DEFAULT_MAX_ROWS)
          .addStatement("this($L)", DEFAULT_MAX_ROWS);
    }
    return List.of(sized.build(), standard.build());
  }

  // Emits:
  //
  //   @Override
  //   public double loss(Batch batch) {
  //     int rows = checkBatch(batch);
  //     loadInput(batch.x, 0, 0, rows);
  //     forward(rows);
  //     outputRows = rows;   (the outputs lastOutputs copies)
  //     return dataLoss(batch, rows) + penaltyScale(rows) * penaltySquares();
  //   }
  private static MethodSpec lossMethod(EmitContext context) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("loss")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(double.class)
            .addParameter(BATCH, "batch")
            .addJavadoc("The loss of the batch (penalty included) at the current parameters.\n")
            .addStatement("int rows = checkBatch(batch)")
            .addStatement(loadBatchCall(context, "0", "rows"))
            .addStatement("forward(rows)")
            .addStatement("outputRows = rows");
    if (context.model.penalty().isPresent()) {
      method.addStatement(
          "return dataLoss(batch, rows) + penaltyScale(rows) * $L",
          PenaltyEmitter.sumCall(context.model.penalty().get()));
    } else {
      method.addStatement("return dataLoss(batch, rows)");
    }
    return method.build();
  }

  // Emits:
  //
  //   @Override
  //   public double lossAndGradient(Batch batch) {
  //     int rows = checkBatch(batch);
  //     loadInput(batch.x, 0, 0, rows);   (a splittable network loads each half in its part)
  //     (a splittable float network, given a float batch: heldInputs = batch.floatRows; the step
  //     in a try, whose finally puts x's own rows back, as lossAndGradientOfFixed does)
  //     forward(rows);
  //     double loss = lossAndDelta(batch, rows);
  //     zeroGradients();
  //     outBackward(0, rows);
  //     hiddenBackward(0, rows);
  //     outGradients(0, rows);
  //     hiddenGradients(0, rows);
  //     double penaltyScale = penaltyScale(rows);
  //     loss += penaltyScale * penaltySquares();
  //     addPenaltyGradient(2.0 * penaltyScale);
  //     outputRows = rows;
  //     return loss;
  //   }
  private static MethodSpec lossAndGradientMethod(EmitContext context) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("lossAndGradient")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(double.class)
            .addParameter(BATCH, "batch")
            .addJavadoc(
                "The loss of the batch; the gradient is overwritten with its gradient. The"
                    + " backward pass runs the layers\nin exact reverse order.\n")
            .addStatement("int rows = checkBatch(batch)");
    if (!context.splittable()) {
      method.addStatement(loadBatchCall(context, "0", "rows"));
    } else if (context.numeric == Numeric.FLOAT) {
      method
          .beginControlFlow("if (batch.floatRows != null && heldInputs == null)")
          .addCode(
              "// a float batch: its rows lent to the input buffer as a fixed batch's are (the"
                  + " numbers a batch of\n// their doubles converts to), and the buffer's own"
                  + " rows put back, so that no other call writes them\n")
          .addStatement("heldInputs = batch.floatRows")
          .beginControlFlow("try")
          .addStatement("return lossAndGradient(batch)")
          .nextControlFlow("finally")
          .addStatement("heldInputs = null")
          .beginControlFlow("for (int r = 0; r < rows; r++)")
          .addStatement("$N[r] = $N[r]", context.inputBuffer, context.inputRows)
          .endControlFlow()
          .endControlFlow()
          .endControlFlow();
    }
    method.addCode(ParallelStepEmitter.lossAndGradientBody(context));
    method.addStatement("outputRows = rows");
    if (context.model.penalty().isPresent()) {
      method
          .addStatement("double penaltyScale = penaltyScale(rows)")
          .addStatement(
              "loss += penaltyScale * $L", PenaltyEmitter.sumCall(context.model.penalty().get()))
          .addStatement(
              "addPenaltyGradient($L)",
              PenaltyEmitter.gradientFactor(context.model.penalty().get()));
    }
    return method.addStatement("return loss").build();
  }

  // Emits:
  //
  //   @Override
  //   public double lossAndGradientOfFixed(FixedBatch fixed, Batch batch) {
  //     if (!fixed.holds(batch)) { throw new IllegalArgumentException(…); }
  //     int rows = checkBatch(batch);
  //     try {
  //       if (fixed != heldFixed) {   // a new fixed batch: its inputs converted once, into
  // heldRows
  //         heldFixed = null;
  //         if (heldRows == null || heldRows.length < rows) { heldRows = new float[rows][INPUT]; }
  //         for (int r = 0; r < rows; r++) { x[r] = heldRows[r]; }
  //         loadInput(batch.x, 0, 0, rows);
  //         heldFixed = new WeakReference<>(fixed);
  //       }
  //       heldInputs = heldRows;   // lossAndGradientPart lends these rows to x instead of loading
  //       return lossAndGradient(batch);
  //     } finally {
  //       heldInputs = null;
  //       for (int r = 0; r < rows; r++) { x[r] = xRows[r]; }
  //     }
  //   }
  private static MethodSpec lossAndGradientOfFixedMethod(EmitContext context) {
    String x = context.inputBuffer;
    return MethodSpec.methodBuilder("lossAndGradientOfFixed")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(double.class)
        .addParameter(FIXED_BATCH, "fixed")
        .addParameter(BATCH, "batch")
        .addJavadoc(
            "{@link #lossAndGradient(Batch)} of a fixed batch's rows, with its inputs converted"
                + " once per fixed batch (into\n{@code heldRows}, which no other call writes) and"
                + " lent to the input buffer instead of loaded in\nevery call: the same numbers,"
                + " so the same bits. Only the fixed batch's own rows are accepted:\nthey are"
                + " the only ones certain not to change.\n")
        .beginControlFlow("if (!fixed.holds(batch))")
        .addStatement(
            "throw new $T($S)",
            IllegalArgumentException.class,
            "rows that the fixed batch does not hold: only its own rows are certain not to"
                + " change (call lossAndGradient(FixedBatch))")
        .endControlFlow()
        .addStatement("int rows = checkBatch(batch)")
        .beginControlFlow("try")
        .beginControlFlow("if (heldFixed == null || heldFixed.get() != fixed)")
        .addCode("// a new fixed batch: its inputs converted once, as loadInput converts them\n")
        .addStatement("heldFixed = null")
        .beginControlFlow("if (heldRows == null || heldRows.length < rows)")
        .addStatement("heldRows = new $T[rows][INPUT]", context.numeric.scalar())
        .endControlFlow()
        .beginControlFlow("for (int r = 0; r < rows; r++)")
        .addStatement("$N[r] = heldRows[r]", x)
        .endControlFlow()
        .addStatement(loadBatchCall(context, "0", "rows"))
        .addStatement("heldFixed = new $T<>(fixed)", WeakReference.class)
        .endControlFlow()
        .addStatement("heldInputs = heldRows")
        .addStatement("return lossAndGradient(batch)")
        .nextControlFlow("finally")
        .addCode(
            "// the input buffer's own rows back, so that no other call writes the held ones\n")
        .addStatement("heldInputs = null")
        .beginControlFlow("for (int r = 0; r < rows; r++)")
        .addStatement("$N[r] = $N[r]", x, context.inputRows)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  // Emits:
  //
  //   @Override
  //   public void predict(double[] inputs, int rows, double[] out) {
  //     for (int first = 0; first < rows; first += maxRows) {
  //       int chunk = Math.min(maxRows, rows - first);
  //       loadInput(inputs, first, 0, chunk);
  //       forward(chunk);
  //       for (int r = 0; r < chunk; r++) {
  //         System.arraycopy(outA[r], 0, out, (first + r) * OUTPUT, OUTPUT);
  //       }
  //     }
  //   }
  private static MethodSpec predictMethod(EmitContext context) {
    CodeBlock copy = copyOutputRow(context, "(first + r) * OUTPUT");
    return MethodSpec.methodBuilder("predict")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(
            "The last layer's outputs for {@code rows} rows of {@code inputs}, in chunks of {@code"
                + " maxRows} rows.\n")
        .addParameter(double[].class, "inputs")
        .addParameter(int.class, "rows")
        .addParameter(double[].class, "out")
        .addCode(
            context.anyDropout()
                ? CodeBlock.of("dropping = false; // inference: dropout is off\n")
                : CodeBlock.of(""))
        .addStatement("outputRows = 0")
        .beginControlFlow("for (int first = 0; first < rows; first += maxRows)")
        .addStatement("int chunk = $T.min(maxRows, rows - first)", Math.class)
        .addStatement("loadInput(inputs, first, 0, chunk)")
        .addStatement("forward(chunk)")
        .beginControlFlow("for (int r = 0; r < chunk; r++)")
        .addCode(copy)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /**
   * Row {@code r} of the last layer's activations into {@code out} at {@code base} (a Java
   * expression): one arraycopy in double, widened value by value in float.
   */
  private static CodeBlock copyOutputRow(EmitContext context, String base) {
    String output = context.outputNames().activation();
    if (context.numeric == Numeric.DOUBLE) {
      return CodeBlock.builder()
          .addStatement("$T.arraycopy($N[r], 0, out, $L, OUTPUT)", System.class, output, base)
          .build();
    }
    return CodeBlock.builder()
        .addStatement("float[] outRow = $N[r]", output)
        .addStatement("int base = $L", base)
        .beginControlFlow("for (int j = 0; j < OUTPUT; j++)")
        .addStatement("out[base + j] = outRow[j]")
        .endControlFlow()
        .build();
  }

  // Emits:
  //
  //   @Override
  //   public boolean lastOutputs(int rows, double[] out) {
  //     if (rows < 0 || rows > outputRows) {
  //       throw new IllegalStateException("…");
  //     }
  //     for (int r = 0; r < rows; r++) {
  //       System.arraycopy(outA[r], 0, out, r * OUTPUT, OUTPUT);
  //     }
  //     return true;
  //   }
  private static MethodSpec lastOutputsMethod(EmitContext context) {
    CodeBlock copy = copyOutputRow(context, "r * OUTPUT");
    return MethodSpec.methodBuilder("lastOutputs")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(boolean.class)
        .addJavadoc(
            "The last layer's outputs of the first {@code rows} rows of the last {@link #loss} or"
                + " {@link #lossAndGradient}\n(its forward pass, with its dropout), into {@code"
                + " out} (rows × OUTPUT): the loss and the outputs from one pass.\n")
        .addParameter(int.class, "rows")
        .addParameter(double[].class, "out")
        .beginControlFlow("if (rows < 0 || rows > outputRows)")
        .addStatement(
            "throw new $T($S + rows + $S + outputRows)",
            IllegalStateException.class,
            "asked for the outputs of ",
            " rows; the last loss or lossAndGradient computed ")
        .endControlFlow()
        .beginControlFlow("for (int r = 0; r < rows; r++)")
        .addCode(copy)
        .endControlFlow()
        .addStatement("return true")
        .build();
  }

  // Emits:
  //
  //   @Override
  //   public void setPenaltyExampleCount(int m) {
  //     if (m < 0) {
  //       throw new IllegalArgumentException("example count must be ≥ 0, got " + m);
  //     }
  //     this.penaltyExampleCount = m;
  //   }
  private static MethodSpec setPenaltyExampleCountMethod() {
    return MethodSpec.methodBuilder("setPenaltyExampleCount")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("The m of a λ/(2m) penalty (the training-set size); 0 = the batch's rows.\n")
        .addParameter(int.class, "m")
        .beginControlFlow("if (m < 0)")
        .addStatement(
            "throw new $T($S + m)",
            IllegalArgumentException.class,
            "example count must be ≥ 0, got ")
        .endControlFlow()
        .addStatement("this.penaltyExampleCount = m")
        .build();
  }

  // Emits:
  //
  //   private int checkBatch(Batch batch) {
  //     int rows = batch.rows();
  //     if (rows > maxRows || batch.inputWidth != INPUT) {
  //       throw new IllegalArgumentException(
  //           "batch of " + rows + " rows × " + batch.inputWidth + …);
  //     }
  //     if (batch.labels == null) {                      (labels; dense targets check their width)
  //       throw new IllegalArgumentException("this network takes class labels 'y' …");
  //     }
  //     for (int r = 0; r < rows; r++) {
  //       int label = batch.labels[r];
  //       if (label < 0 || label >= 10) {
  //         throw new IllegalArgumentException("label " + label + " in row " + r + " …");
  //       }
  //     }
  //     return rows;
  //   }
  private static MethodSpec checkBatchMethod(EmitContext context) {
    NetworkSpec spec = context.spec;
    String target = "'" + spec.targetName() + "'";
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("checkBatch")
            .addModifiers(Modifier.PRIVATE)
            .returns(int.class)
            .addParameter(BATCH, "batch")
            .addJavadoc(
                "The batch's rows, after checking it fits the buffers and holds the targets this"
                    + " network takes.\n")
            .addStatement("int rows = batch.rows()")
            .beginControlFlow("if (rows > maxRows || batch.inputWidth != INPUT)")
            .addStatement(
                "throw new $T($S + rows + $S + batch.inputWidth + $S + maxRows + $S + INPUT)",
                IllegalArgumentException.class,
                "batch of ",
                " rows × ",
                " columns; this network takes up to ",
                " rows × ")
            .endControlFlow();
    if (context.numeric == Numeric.DOUBLE) {
      method
          .beginControlFlow("if (batch.x == null)")
          .addStatement(
              "throw new $T($S)",
              IllegalArgumentException.class,
              "a float batch (its inputs rounded to float); this network computes in double:"
                  + " build its batches with Batch.forSpec(SPEC, rows)")
          .endControlFlow();
    }
    if (spec.targetKind() == NetworkSpec.TargetKind.LABELS) {
      int classes = spec.targetWidth();
      method
          .beginControlFlow("if (batch.labels == null)")
          .addStatement(
              "throw new $T($S + batch.targetWidth + $S)",
              IllegalArgumentException.class,
              "this network takes class labels "
                  + target
                  + " (0.."
                  + (classes - 1)
                  + "), but the batch has dense targets, ",
              " wide; build the batch with Batch.forSpec(SPEC, rows)")
          .endControlFlow()
          .beginControlFlow("for (int r = 0; r < rows; r++)")
          .addStatement("int label = batch.labels[r]")
          .beginControlFlow("if (label < 0 || label >= $L)", classes)
          .addStatement(
              "throw new $T($S + label + $S + r + $S)",
              IllegalArgumentException.class,
              "label ",
              " in row ",
              " is outside 0.."
                  + (classes - 1)
                  + " (the "
                  + classes
                  + " classes of "
                  + target
                  + ")")
          .endControlFlow()
          .endControlFlow();
    } else {
      int width = spec.targetWidth();
      method
          .beginControlFlow("if (batch.targets == null || batch.targetWidth != $L)", width)
          .addStatement(
              "throw new $T($S + (batch.targets == null ? $S : batch.targetWidth + $S))",
              IllegalArgumentException.class,
              "this network takes dense targets "
                  + target
                  + ", "
                  + width
                  + " wide, but the batch has ",
              "class labels",
              " target columns")
          .endControlFlow();
    }
    if (context.anyDropout()) {
      method.addStatement("dropping = dropoutStep >= 0").addStatement("dropoutRowOffset = 0");
    }
    return method.addStatement("return rows").build();
  }

  /** {@code loadInput(batch.x, 0, from, to)}, or in a float class {@code loadBatch(batch, …)}. */
  static CodeBlock loadBatchCall(EmitContext context, String from, String to) {
    return context.numeric == Numeric.FLOAT
        ? CodeBlock.of("loadBatch(batch, $L, $L)", from, to)
        : CodeBlock.of("loadInput(batch.x, 0, $L, $L)", from, to);
  }

  // Emits (float classes):
  //
  //   private void loadBatch(Batch batch, int from, int to) {
  //     if (batch.floatRows == null) {
  //       loadInput(batch.x, 0, from, to);
  //     } else {
  //       for (int r = from; r < to; r++) {
  //         System.arraycopy(batch.floatRows[r], 0, x[r], 0, INPUT);
  //       }
  //     }
  //   }
  private static MethodSpec loadBatchMethod(EmitContext context) {
    return MethodSpec.methodBuilder("loadBatch")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "Rows {@code from} to {@code to − 1} of the batch's inputs into the same rows of the"
                + " input buffer: a batch of\ndoubles converted, a float batch's rows (converted"
                + " when it was filled: the same numbers) copied.\n")
        .addParameter(BATCH, "batch")
        .addParameter(int.class, "from")
        .addParameter(int.class, "to")
        .beginControlFlow("if (batch.floatRows == null)")
        .addStatement("loadInput(batch.x, 0, from, to)")
        .nextControlFlow("else")
        .beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement(
            "$T.arraycopy(batch.floatRows[r], 0, $N[r], 0, INPUT)",
            System.class,
            context.inputBuffer)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  // Emits (float classes with a step of blocks):
  //
  //   @Override
  //   public Batch newBatch(int rows) {
  //     return Batch.forSpecInFloat(SPEC, rows);
  //   }
  private static MethodSpec newBatchMethod() {
    return MethodSpec.methodBuilder("newBatch")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(BATCH)
        .addParameter(int.class, "rows")
        .addJavadoc(
            "A float batch ({@link Batch#forSpecInFloat}): {@link #lossAndGradient(Batch)} lends"
                + " its rows to the input buffer\ninstead of converting a batch's doubles in every"
                + " call.\n")
        .addStatement("return $T.forSpecInFloat(SPEC, rows)", BATCH)
        .build();
  }

  // Emits:
  //
  //   private void loadInput(double[] inputs, int first, int from, int to) {
  //     for (int r = from; r < to; r++) {
  //       System.arraycopy(inputs, (first + r) * INPUT, x[r], 0, INPUT);
  //     }
  //   }
  //
  // float: float[] row = x[r]; for (int i …) row[i] = (float) inputs[base + i];
  private static MethodSpec loadInputMethod(EmitContext context) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("loadInput")
            .addModifiers(Modifier.PRIVATE)
            .addJavadoc(
                "Copies rows {@code first + from} to {@code first + to − 1} of {@code inputs}"
                    + " (row-major, already\npreprocessed) into rows {@code from} to {@code to − 1}"
                    + " of the input buffer.\n")
            .addParameter(double[].class, "inputs")
            .addParameter(int.class, "first")
            .addParameter(int.class, "from")
            .addParameter(int.class, "to")
            .beginControlFlow("for (int r = from; r < to; r++)");
    if (context.numeric == Numeric.DOUBLE) {
      method.addStatement(
          "$T.arraycopy(inputs, (first + r) * INPUT, $N[r], 0, INPUT)",
          System.class,
          context.inputBuffer);
    } else {
      method
          .addStatement("float[] row = $N[r]", context.inputBuffer)
          .addStatement("int base = (first + r) * INPUT")
          .beginControlFlow("for (int i = 0; i < INPUT; i++)")
          .addStatement("row[i] = (float) inputs[base + i]")
          .endControlFlow();
    }
    return method.endControlFlow().build();
  }

  // Emits:
  //
  //   private void forward(int rows) {
  //     hiddenForward(rows);
  //     outForward(rows);
  //   }
  private static MethodSpec forwardMethod(EmitContext context) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("forward")
            .addModifiers(Modifier.PRIVATE)
            .addJavadoc("The forward pass over the first {@code rows} rows of the input buffer.\n")
            .addParameter(int.class, "rows");
    for (int s = 0; s < context.spatialCount(); s++) {
      method.addStatement("$N(0, rows)", context.spatialNames(s).forward());
    }
    for (int l = 0; l < context.layerCount(); l++) {
      method.addStatement("$N(0, rows)", context.names(l).forward());
    }
    return method.build();
  }
}
