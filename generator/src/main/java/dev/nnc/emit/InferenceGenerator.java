package dev.nnc.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Model;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Spatial;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.data.Weights;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.lang.model.element.Modifier;

/**
 * Generates the inference-only class of a trained network: {@code public final class <Name>} with
 * {@code public static double[] predict(double[] x)} and {@code predict(double[] x, int rows)},
 * needing nothing but the JDK. {@code predict} gives class probabilities for a softmax
 * cross-entropy network ({@code logits} the raw scores), probabilities for binary cross-entropy,
 * values in the targets' units otherwise; a classifier also has {@code predictClass} and {@code
 * predictClasses}. The trained weights and the fitted preprocessing statistics live in a resource
 * {@code <Name>.npz} beside the class ({@link #resourceArrays}, an ordinary NumPy archive), read
 * once by the static initialiser with a small NPY reader written into the class.
 *
 * <p>{@code predict} takes raw inputs, as in the training data: it applies the feature powers and
 * the input standardisation fitted in training, runs the layers, and de-standardises the outputs
 * when the targets were standardised. The weights are never written after the static initialiser
 * and every buffer is a local of the call, so any number of threads may predict at once.
 *
 * <p>The forward code of every layer comes from the layer's emitter, the one that writes the
 * trainer's ({@link DenseLayerEmitter#inferenceRow}, {@link ConvLayerEmitter#inferenceRow}): the
 * trainer's arithmetic term for term, in the network's precision, so the class predicts the
 * trainer's bits in double and in float. This class only wires the layers together.
 */
public final class InferenceGenerator extends SourceFileGenerator<InferenceGenerator.Input> {
  /** Words in the javadoc of every inference class: how the plugin tells it from a trainer. */
  public static final String MARKER = "Inference-only class";

  private static final TypeName ARRAYS =
      ParameterizedTypeName.get(Map.class, String.class, double[].class);

  /**
   * A checked model and its trained weights.
   *
   * @param weights the arrays of the weights file (every tensor of the network, and the statistics
   *     its preprocessing needs)
   * @param weightsFileName the weights file's name, for messages
   */
  public record Input(Model model, Map<String, NpyArray> weights, String weightsFileName) {
    public Input {
      weights = Map.copyOf(weights);
    }
  }

  /**
   * The resource to write as {@code <Name>.npz} beside the class: every tensor as {@code <f8} in
   * the shape the runtime saves it, then the preprocessing statistics.
   *
   * @throws dev.nnc.runtime.data.DataFormatException if a tensor or a statistic is missing or
   *     misshapen, naming it: {@code Xor.npz: member 'hidden.W': shape (3, 4), the network needs
   *     (2, 4)}
   */
  public static Map<String, NpyArray> resourceArrays(Input input) {
    NetworkSpec spec = RuntimeViews.spec(input.model());
    double[] flat = Weights.parameters(input.weights(), input.weightsFileName(), spec);
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    for (TensorSpec tensor : spec.tensors()) {
      double[] values = new double[tensor.size()];
      System.arraycopy(flat, tensor.offset(), values, 0, values.length);
      arrays.put(tensor.name(), NpyArray.ofDoubles(values, Weights.shape(tensor)));
    }
    Preprocessing preprocessing;
    try {
      preprocessing = Preprocessing.fromStats(spec, input.weights());
    } catch (dev.nnc.runtime.data.DataFormatException e) {
      throw new dev.nnc.runtime.data.DataFormatException(
          input.weightsFileName() + ": " + e.getMessage(), e);
    }
    arrays.putAll(preprocessing.stats());
    return arrays;
  }

  @Override
  protected String sourceFile(Input input) {
    return input.model().sourceFile();
  }

  @Override
  protected TypeSpec.Builder write(Input input) {
    resourceArrays(input); // refuses weights that do not fit before anything is written
    Model model = input.model();
    NetworkSpec spec = RuntimeViews.spec(model);
    Numeric numeric = Numeric.of(model.precision());
    boolean standardizeInputs = spec.inputStandardizeDdof() >= 0;
    boolean standardizeTargets =
        spec.targetKind() == NetworkSpec.TargetKind.DENSE && spec.targetStandardizeDdof() >= 0;
    String name = model.name();

    TypeSpec.Builder type =
        TypeSpec.classBuilder(name)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addJavadoc(classJavadoc(model, spec, standardizeInputs, standardizeTargets));
    type.addField(constant("INPUT", spec.rawInputWidth(), "Raw input columns per row."));
    type.addField(
        constant("FEATURES", spec.inputWidth(), "Columns the first layer sees (after powers)."));
    type.addField(constant("OUTPUT", spec.outputWidth(), "Outputs per row."));
    type.addField(
        FieldSpec.builder(
                String.class, "RESOURCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("The weights resource, beside this class.\n")
            .initializer("$S", name + ".npz")
            .build());

    CodeBlock.Builder init = CodeBlock.builder();
    init.addStatement("$T arrays = readNpz(RESOURCE)", ARRAYS);
    for (int l = 0; l < model.layers().size(); l++) {
      Dense layer = model.layers().get(l);
      type.addField(
          FieldSpec.builder(
                  numeric.matrix(), "w" + l, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
              .addJavadoc(
                  "{@code $L.W} ($L×$L).\n",
                  EmitContext.text(layer.name()),
                  layer.in(),
                  layer.out())
              .build());
      init.addStatement(
          "w$L = $L",
          l,
          convert(
              numeric,
              CodeBlock.of(
                  "matrix(arrays, $S, $L, $L)", layer.name() + ".W", layer.in(), layer.out()),
              true));
      if (layer.bias()) {
        type.addField(
            FieldSpec.builder(
                    numeric.vector(), "b" + l, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("{@code $L.b} ($L).\n", EmitContext.text(layer.name()), layer.out())
                .build());
        init.addStatement(
            "b$L = $L",
            l,
            convert(
                numeric,
                CodeBlock.of("vector(arrays, $S, $L)", layer.name() + ".b", layer.out()),
                false));
      }
    }
    for (int k = 0; k < model.spatial().size(); k++) {
      if (!(model.spatial().get(k) instanceof Conv conv)) {
        continue;
      }
      type.addField(
          FieldSpec.builder(
                  numeric.matrix(), "k" + k, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
              .addJavadoc(
                  "{@code $L.W} ($L×$L×$L×$L), as rows (filters × in_ch·kh·kw).\n",
                  EmitContext.text(conv.name()),
                  conv.outChannels(),
                  conv.inChannels(),
                  conv.kernelHeight(),
                  conv.kernelWidth())
              .build());
      init.addStatement(
          "k$L = $L",
          k,
          convert(
              numeric,
              CodeBlock.of(
                  "matrix(arrays, $S, $L, $L)",
                  conv.name() + ".W",
                  conv.outChannels(),
                  conv.patchSize()),
              true));
      if (conv.bias()) {
        type.addField(
            FieldSpec.builder(
                    numeric.vector(), "kb" + k, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(
                    "{@code $L.b} ($L).\n", EmitContext.text(conv.name()), conv.outChannels())
                .build());
        init.addStatement(
            "kb$L = $L",
            k,
            convert(
                numeric,
                CodeBlock.of("vector(arrays, $S, $L)", conv.name() + ".b", conv.outChannels()),
                false));
      }
    }
    if (standardizeInputs) {
      statFields(type, init, "inputMean", spec.inputName() + ".mean", spec.inputWidth());
      statFields(type, init, "inputStd", spec.inputName() + ".std", spec.inputWidth());
    }
    if (standardizeTargets) {
      statFields(type, init, "targetMean", spec.targetName() + ".mean", spec.targetWidth());
      statFields(type, init, "targetStd", spec.targetName() + ".std", spec.targetWidth());
    }
    type.addStaticBlock(init.build());
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    boolean logits = spec.outputKind() == NetworkSpec.OutputKind.LOGITS;
    String computed = logits ? "logits" : "predict";
    type.addMethod(predictOne(computed, outputsJavadoc(spec, computed)));
    type.addMethod(
        predictRows(
            computed,
            outputsJavadoc(spec, computed),
            model,
            spec,
            numeric,
            standardizeInputs,
            standardizeTargets));
    if (logits) {
      type.addMethod(predictOne("predict", outputsJavadoc(spec, "predict")));
      type.addMethod(softmaxRows(outputsJavadoc(spec, "predict")));
    }
    if (spec.classifies()) {
      type.addMethod(predictClassOne());
      type.addMethod(predictClassRows(spec));
    }
    for (int k = 0; k < model.spatial().size(); k++) {
      type.addMethod(spatialMethod(k, model.spatial().get(k), numeric));
    }
    for (int l = 0; l < model.layers().size(); l++) {
      type.addMethod(layerMethod(l, model.layers().get(l), numeric));
    }
    type.addMethod(readNpz(name));
    type.addMethod(readNpy());
    type.addMethod(matrix());
    type.addMethod(vector());
    if (numeric == Numeric.FLOAT) {
      type.addMethod(toFloatMatrix());
      type.addMethod(toFloatVector());
    }
    return type;
  }

  private static CodeBlock classJavadoc(
      Model model, NetworkSpec spec, boolean standardizeInputs, boolean standardizeTargets) {
    CodeBlock.Builder doc = CodeBlock.builder();
    doc.add(
        "$L of the network {@code $L} of {@code $L}, in $L precision: it needs\nnothing but the"
            + " JDK. Its trained weights are in the resource {@code $L.npz} beside it, read once"
            + " when the\nclass is initialised.\n\n<pre>\n$L ($L)",
        MARKER,
        EmitContext.text(model.name()),
        EmitContext.text(model.sourceFile()),
        Numeric.of(model.precision()).scalar(),
        EmitContext.text(model.name()),
        EmitContext.text(spec.inputName()),
        spec.inputWidth());
    for (Dense layer : model.layers()) {
      doc.add(
          " → $L ($L, $L)",
          EmitContext.text(layer.name()),
          layer.out(),
          layer.activation().keyword());
    }
    doc.add("\n</pre>\n\n{@link #predict(double[], int)} takes raw rows, as in the training data");
    if (spec.featurePowers().length > 0) {
      doc.add(": the feature powers");
      doc.add(standardizeInputs ? " and the fitted standardisation are" : " are");
      doc.add(" applied to them");
    } else if (standardizeInputs) {
      doc.add(": the fitted standardisation is applied to them");
    }
    if (standardizeTargets) {
      doc.add(",\nand the outputs are de-standardised back to the units of the targets");
    }
    doc.add(".\nIt keeps everything in locals, so any number of threads may call it at once.\n");
    if (model.layers().stream().anyMatch(Dense::dropsOut)) {
      doc.add(
          "Dropout is a training device: nothing is dropped here (inverted dropout scaled the kept"
              + " outputs\nin training instead).\n");
    }
    doc.add("\n<p>{@code predict} returns the $L", outputsJavadoc(spec, "predict"));
    if (spec.outputKind() == NetworkSpec.OutputKind.LOGITS) {
      doc.add(
          ";\n{@code logits} the raw scores the network was trained on (softmax_cross_entropy)");
    }
    if (spec.classifies()) {
      doc.add(";\n{@code predictClass} and {@code predictClasses} the predicted class");
    }
    doc.add(".\n");
    return doc.build();
  }

  private static FieldSpec constant(String name, int value, String doc) {
    return FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc + "\n")
        .initializer("$L", value)
        .build();
  }

  private static void statFields(
      TypeSpec.Builder type, CodeBlock.Builder init, String field, String member, int width) {
    type.addField(
        FieldSpec.builder(double[].class, field, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("{@code $L}, fitted on the training data.\n", EmitContext.text(member))
            .build());
    init.addStatement("$N = vector(arrays, $S, $L)", field, member, width);
  }

  private static CodeBlock convert(Numeric numeric, CodeBlock read, boolean matrix) {
    if (numeric == Numeric.DOUBLE) {
      return read;
    }
    return CodeBlock.of("$L($L)", matrix ? "toFloatMatrix" : "toFloatVector", read);
  }

  private static MethodSpec predictOne(String name, String meaning) {
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class)
        .addJavadoc(
            "The {@code OUTPUT} $L of one raw input row of {@code INPUT} values.\n",
            meaning.replace("\n", " "))
        .addParameter(double[].class, "x")
        .beginControlFlow("if (x.length != INPUT)")
        .addStatement(
            "throw new $T($S + INPUT + $S + x.length)",
            IllegalArgumentException.class,
            "expected ",
            " input values, got ")
        .endControlFlow()
        .addStatement("return $N(x, 1)", name)
        .build();
  }

  /** What the outputs of {@code method} ({@code predict} or {@code logits}) are, for javadoc. */
  static String outputsJavadoc(NetworkSpec spec, String method) {
    if (method.equals("logits")) {
      return "logits (raw class scores, softmax's input)";
    }
    return switch (spec.outputKind()) {
      case LOGITS -> "class probabilities (the softmax of the logits; each row sums to 1)";
      case PROBABILITIES ->
          spec.targetKind() == NetworkSpec.TargetKind.LABELS
              ? "probabilities of class 1"
              : "probabilities that each target is 1";
      case VALUES ->
          spec.targetKind() == NetworkSpec.TargetKind.LABELS
              ? "class scores (the largest names the class)"
              : "outputs, in the targets' units";
    };
  }

  // Emits, for a softmax_cross_entropy network:
  //
  //   public static double[] predict(double[] x, int rows) {
  //     double[] p = logits(x, rows);
  //     for (int r = 0; r < rows; r++) {
  //       int base = r * OUTPUT;
  //       double max = Double.NEGATIVE_INFINITY;
  //       for (int j = 0; j < OUTPUT; j++) max = Math.max(max, p[base + j]);
  //       double sum = 0.0;
  //       for (int j = 0; j < OUTPUT; j++) { p[base + j] = StrictMath.exp(p[base + j] - max); sum
  // += … }
  //       for (int j = 0; j < OUTPUT; j++) p[base + j] /= sum;
  //     }
  //     return p;
  //   }
  private static MethodSpec softmaxRows(String meaning) {
    return MethodSpec.methodBuilder("predict")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class)
        .addJavadoc(
            "The $L of {@code rows} raw input rows: {@code x} holds {@code rows × INPUT} values,"
                + " row-major;\nthe result {@code rows × OUTPUT}, the softmax of {@link"
                + " #logits(double[], int)}. Safe to call from\nmany threads at once.\n",
            meaning)
        .addParameter(double[].class, "x")
        .addParameter(int.class, "rows")
        .addStatement("double[] p = logits(x, rows)")
        .beginControlFlow("for (int r = 0; r < rows; r++)")
        .addStatement("int base = r * OUTPUT")
        .addStatement("double max = Double.NEGATIVE_INFINITY")
        .beginControlFlow("for (int j = 0; j < OUTPUT; j++)")
        .addStatement("max = Math.max(max, p[base + j])")
        .endControlFlow()
        .addStatement("double sum = 0.0")
        .beginControlFlow("for (int j = 0; j < OUTPUT; j++)")
        .addStatement("p[base + j] = $T.exp(p[base + j] - max)", StrictMath.class)
        .addStatement("sum += p[base + j]")
        .endControlFlow()
        .beginControlFlow("for (int j = 0; j < OUTPUT; j++)")
        .addStatement("p[base + j] /= sum")
        .endControlFlow()
        .endControlFlow()
        .addStatement("return p")
        .build();
  }

  private static MethodSpec predictClassOne() {
    return MethodSpec.methodBuilder("predictClass")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(int.class)
        .addJavadoc("The predicted class of one raw input row of {@code INPUT} values.\n")
        .addParameter(double[].class, "x")
        .beginControlFlow("if (x.length != INPUT)")
        .addStatement(
            "throw new $T($S + INPUT + $S + x.length)",
            IllegalArgumentException.class,
            "expected ",
            " input values, got ")
        .endControlFlow()
        .addStatement("return predictClasses(x, 1)[0]")
        .build();
  }

  // Emits: the first largest output of each row, or for one output (a probability) 1 when it is at
  // least 0.5.
  private static MethodSpec predictClassRows(NetworkSpec spec) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("predictClasses")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(int[].class)
            .addJavadoc(
                "The predicted class of each of {@code rows} raw input rows: $L.\n",
                spec.outputWidth() == 1
                    ? "1 when the probability of class 1 is at least 0.5, else 0"
                    : "the index of the largest output (the first, on a tie)")
            .addParameter(double[].class, "x")
            .addParameter(int.class, "rows")
            .addStatement("double[] out = predict(x, rows)")
            .addStatement("int[] classes = new int[rows]")
            .beginControlFlow("for (int r = 0; r < rows; r++)");
    if (spec.outputWidth() == 1) {
      method.addStatement("classes[r] = out[r] >= 0.5 ? 1 : 0");
    } else {
      method
          .addStatement("int best = 0")
          .beginControlFlow("for (int j = 1; j < OUTPUT; j++)")
          .beginControlFlow("if (out[r * OUTPUT + j] > out[r * OUTPUT + best])")
          .addStatement("best = j")
          .endControlFlow()
          .endControlFlow()
          .addStatement("classes[r] = best");
    }
    return method.endControlFlow().addStatement("return classes").build();
  }

  // Emits, e.g. for S6 (powers(1, 2), inputs and targets standardised):
  //
  //   public static double[] predict(double[] x, int rows) {
  //     …checks…
  //     double[] out = new double[rows * OUTPUT];
  //     double[] features = new double[FEATURES];
  //     double[] a0 = new double[1];
  //     for (int r = 0; r < rows; r++) {
  //       for (int c = 0; c < INPUT; c++) {
  //         double v = x[r * INPUT + c];
  //         features[c * 2 + 0] = v;
  //         features[c * 2 + 1] = v * v;
  //       }
  //       for (int j = 0; j < FEATURES; j++) {
  //         features[j] = (features[j] - inputMean[j]) / inputStd[j];
  //       }
  //       layer0(features, a0);
  //       for (int j = 0; j < OUTPUT; j++) {
  //         out[r * OUTPUT + j] = a0[j] * targetStd[j] + targetMean[j];
  //       }
  //     }
  //     return out;
  //   }
  private static MethodSpec predictRows(
      String name,
      String meaning,
      Model model,
      NetworkSpec spec,
      Numeric numeric,
      boolean standardizeInputs,
      boolean standardizeTargets) {
    int[] powers = spec.featurePowers();
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(name)
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(double[].class)
            .addJavadoc(
                "The $L of {@code rows} raw input rows: {@code x} holds {@code rows × INPUT}"
                    + " values, row-major;\nthe result {@code rows × OUTPUT}. Safe to call from"
                    + " many threads at once.\n",
                meaning)
            .addParameter(double[].class, "x")
            .addParameter(int.class, "rows")
            .beginControlFlow("if (rows < 0 || (long) rows * INPUT != x.length)")
            .addStatement(
                "throw new $T($S + rows + $S + INPUT + $S + x.length)",
                IllegalArgumentException.class,
                "expected ",
                " rows of ",
                " input values, got ")
            .endControlFlow()
            .addStatement("double[] out = new double[rows * OUTPUT]")
            .addStatement("double[] features = new double[FEATURES]");
    TypeName vector = numeric.vector();
    if (numeric == Numeric.FLOAT) {
      method.addStatement("float[] input = new float[FEATURES]");
    }
    for (int k = 0; k < model.spatial().size(); k++) {
      method.addStatement(
          "$T s$L = new $T[$L]", vector, k, numeric.scalar(), model.spatial().get(k).outSize());
    }
    for (int l = 0; l < model.layers().size(); l++) {
      method.addStatement(
          "$T a$L = new $T[$L]", vector, l, numeric.scalar(), model.layers().get(l).out());
    }
    method.beginControlFlow("for (int r = 0; r < rows; r++)");
    if (powers.length == 0) {
      method.addStatement("$T.arraycopy(x, r * INPUT, features, 0, INPUT)", System.class);
    } else {
      method
          .beginControlFlow("for (int c = 0; c < INPUT; c++)")
          .addStatement("double v = x[r * INPUT + c]");
      for (int k = 0; k < powers.length; k++) {
        CodeBlock power =
            switch (powers[k]) {
              case 1 -> CodeBlock.of("v");
              case 2 -> CodeBlock.of("v * v");
              default -> CodeBlock.of("$T.pow(v, $L)", StrictMath.class, (double) powers[k]);
            };
        method.addStatement("features[c * $L + $L] = $L", powers.length, k, power);
      }
      method.endControlFlow();
    }
    if (standardizeInputs) {
      method
          .beginControlFlow("for (int j = 0; j < FEATURES; j++)")
          .addStatement("features[j] = (features[j] - inputMean[j]) / inputStd[j]")
          .endControlFlow();
    }
    String previous = "features";
    if (numeric == Numeric.FLOAT) {
      method
          .beginControlFlow("for (int j = 0; j < FEATURES; j++)")
          .addStatement("input[j] = (float) features[j]")
          .endControlFlow();
      previous = "input";
    }
    for (int k = 0; k < model.spatial().size(); k++) {
      method.addStatement("spatial$L($N, s$L)", k, previous, k);
      previous = "s" + k;
    }
    for (int l = 0; l < model.layers().size(); l++) {
      method.addStatement("layer$L($N, a$L)", l, previous, l);
      previous = "a" + l;
    }
    method.beginControlFlow("for (int j = 0; j < OUTPUT; j++)");
    if (standardizeTargets) {
      method.addStatement("out[r * OUTPUT + j] = $N[j] * targetStd[j] + targetMean[j]", previous);
    } else {
      method.addStatement("out[r * OUTPUT + j] = $N[j]", previous);
    }
    method.endControlFlow();
    return method.endControlFlow().addStatement("return out").build();
  }

  // Emits, for conv c1 (ConvLayerEmitter.convolveRow: the direct convolution, the trainer's bits):
  //
  //   /** {@code c1} (line 5): conv 1×28×28 → 6×28×28, relu. */
  //   private static void spatial0(double[] xRow, double[] zRow) {
  //     … z = conv(x, K) + b …
  //     double[] aRow = zRow;   (the activation in place)
  //     …
  //   }
  private static MethodSpec spatialMethod(int k, Spatial layer, Numeric numeric) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("spatial" + k)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
            .addParameter(numeric.vector(), "xRow")
            .addParameter(numeric.vector(), "zRow");
    String shapes =
        ConvLayerEmitter.shape(layer.inChannels(), layer.inHeight(), layer.inWidth())
            + " → "
            + ConvLayerEmitter.shape(layer.outChannels(), layer.outHeight(), layer.outWidth());
    if (layer instanceof Conv conv) {
      method.addJavadoc(
          "{@code $L}$L: conv $L, $L.\n",
          EmitContext.text(conv.name()),
          EmitContext.line(conv.span()),
          shapes,
          conv.activation().keyword());
      method.addCode(
          ConvLayerEmitter.inferenceRow(conv, numeric, "k" + k, conv.bias() ? "kb" + k : null));
    } else {
      Pool pool = (Pool) layer;
      method.addJavadoc(
          "{@code $L}$L: $L $L.\n",
          EmitContext.text(pool.name()),
          EmitContext.line(pool.span()),
          pool.keyword(),
          shapes);
      method.addCode(ConvLayerEmitter.inferenceRow(pool, numeric, null, null));
    }
    return method.build();
  }

  // Emits (hidden, 2 → 4, tanh; DenseLayerEmitter.inferenceRow, the trainer's arithmetic):
  //
  //   /** {@code hidden} (line 3): a = tanh(x · W + b), 2 → 4. */
  //   private static void layer0(double[] xRow, double[] zRow) {
  //     zRow[0] = b0[0] + xRow[0] * w0[0][0] + xRow[1] * w0[1][0];
  //     …
  //     double[] aRow = zRow;   (the activation in place)
  //     aRow[0] = StrictMath.tanh(zRow[0]);
  //     …
  //   }
  private static MethodSpec layerMethod(int l, Dense layer, Numeric numeric) {
    return MethodSpec.methodBuilder("layer" + l)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc(
            "{@code $L}$L: a = $L(x · W$L), $L → $L.\n",
            EmitContext.text(layer.name()),
            EmitContext.line(layer.span()),
            layer.activation().keyword(),
            layer.bias() ? " + b" : "",
            layer.in(),
            layer.out())
        .addParameter(numeric.vector(), "xRow")
        .addParameter(numeric.vector(), "zRow")
        .addCode(
            DenseLayerEmitter.inferenceRow(layer, numeric, "w" + l, layer.bias() ? "b" + l : null))
        .build();
  }

  private static MethodSpec readNpz(String className) {
    return MethodSpec.methodBuilder("readNpz")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(ARRAYS)
        .addJavadoc("The arrays of an {@code .npz} resource beside this class, by member name.\n")
        .addParameter(String.class, "resource")
        .addStatement("$T arrays = new $T<>()", ARRAYS, HashMap.class)
        .beginControlFlow(
            "try ($T in = $L.class.getResourceAsStream(resource))", InputStream.class, className)
        .beginControlFlow("if (in == null)")
        .addStatement(
            "throw new $T($S + resource + $S)",
            IllegalStateException.class,
            className + ": no resource ",
            " beside the class; put the .npz generated with it on the class path, in the class's"
                + " package")
        .endControlFlow()
        .addStatement(
            "$T zip = new $T(new $T(in))",
            ZipInputStream.class,
            ZipInputStream.class,
            BufferedInputStream.class)
        .beginControlFlow("for ($T entry; (entry = zip.getNextEntry()) != null; )", ZipEntry.class)
        .addStatement("String member = entry.getName()")
        .beginControlFlow("if (member.endsWith($S))", ".npy")
        .addStatement(
            "arrays.put(member.substring(0, member.length() - 4), readNpy(zip.readAllBytes(), member))")
        .endControlFlow()
        .endControlFlow()
        .nextControlFlow("catch ($T e)", IOException.class)
        .addStatement("throw new $T($S + resource, e)", UncheckedIOException.class, "cannot read ")
        .endControlFlow()
        .addStatement("return arrays")
        .build();
  }

  // A little-endian float64 C-order .npy, versions 1 to 3: magic, version, header length, a
  // header dict, the values.
  private static MethodSpec readNpy() {
    return MethodSpec.methodBuilder("readNpy")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(double[].class)
        .addJavadoc("The values of a little-endian {@code <f8} C-order {@code .npy} array.\n")
        .addParameter(byte[].class, "bytes")
        .addParameter(String.class, "member")
        .addStatement(
            "$T buffer = $T.wrap(bytes).order($T.LITTLE_ENDIAN)",
            ByteBuffer.class,
            ByteBuffer.class,
            ByteOrder.class)
        .beginControlFlow("if (bytes.length < 10 || bytes[0] != (byte) 0x93 || bytes[1] != 'N')")
        .addStatement(
            "throw new $T(member + $S)", IllegalStateException.class, ": not an .npy array")
        .endControlFlow()
        .addStatement("int headerStart = bytes[6] == 1 ? 10 : 12")
        .addStatement(
            "int headerLength = bytes[6] == 1 ? buffer.getShort(8) & 0xFFFF : buffer.getInt(8)")
        .addStatement(
            "String header = new String(bytes, headerStart, headerLength, $T.ISO_8859_1)",
            StandardCharsets.class)
        .beginControlFlow("if (!header.contains($S) || header.contains($S))", "'<f8'", "True")
        .addStatement(
            "throw new $T(member + $S + header.trim())",
            IllegalStateException.class,
            ": expected a <f8 C-order array, found ")
        .endControlFlow()
        .addStatement("int start = headerStart + headerLength")
        .addStatement("double[] values = new double[(bytes.length - start) / 8]")
        .beginControlFlow("for (int i = 0; i < values.length; i++)")
        .addStatement("values[i] = buffer.getDouble(start + 8 * i)")
        .endControlFlow()
        .addStatement("return values")
        .build();
  }

  private static MethodSpec matrix() {
    return MethodSpec.methodBuilder("matrix")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(double[][].class)
        .addParameter(ARRAYS, "arrays")
        .addParameter(String.class, "member")
        .addParameter(int.class, "rows")
        .addParameter(int.class, "cols")
        .addStatement("double[] values = vector(arrays, member, rows * cols)")
        .addStatement("double[][] matrix = new double[rows][cols]")
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("$T.arraycopy(values, i * cols, matrix[i], 0, cols)", System.class)
        .endControlFlow()
        .addStatement("return matrix")
        .build();
  }

  private static MethodSpec vector() {
    return MethodSpec.methodBuilder("vector")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(double[].class)
        .addParameter(ARRAYS, "arrays")
        .addParameter(String.class, "member")
        .addParameter(int.class, "size")
        .addStatement("double[] values = arrays.get(member)")
        .beginControlFlow("if (values == null || values.length != size)")
        .addStatement(
            "throw new $T(RESOURCE + $S + member + $S + size + $S + (values == null ? $S : values.length + $S))",
            IllegalStateException.class,
            ": member '",
            "' should hold ",
            " values, found ",
            "none",
            "")
        .endControlFlow()
        .addStatement("return values")
        .build();
  }

  private static MethodSpec toFloatMatrix() {
    return MethodSpec.methodBuilder("toFloatMatrix")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(float[][].class)
        .addParameter(double[][].class, "values")
        .addStatement("float[][] floats = new float[values.length][]")
        .beginControlFlow("for (int i = 0; i < values.length; i++)")
        .addStatement("floats[i] = toFloatVector(values[i])")
        .endControlFlow()
        .addStatement("return floats")
        .build();
  }

  private static MethodSpec toFloatVector() {
    return MethodSpec.methodBuilder("toFloatVector")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(ArrayTypeName.of(float.class))
        .addParameter(double[].class, "values")
        .addStatement("float[] floats = new float[values.length]")
        .beginControlFlow("for (int i = 0; i < values.length; i++)")
        .addStatement("floats[i] = (float) values[i]")
        .endControlFlow()
        .addStatement("return floats")
        .build();
  }
}
