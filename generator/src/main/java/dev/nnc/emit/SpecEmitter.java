package dev.nnc.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Model;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Train;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.InitSpec;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.EarlyStopping;
import dev.nnc.runtime.train.Recipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * What the runtime needs to know about the network, as constants: the shapes ({@code INPUT}, {@code
 * HIDDEN_OUT}, …), the {@code SPEC} (names, offsets, shapes, inits and {@code .nn} lines of the
 * tensors), the training recipe and the inline data. All built from literals equal to {@link
 * RuntimeViews}' views of the model, so that the compiled class carries them without the compiler.
 */
final class SpecEmitter {
  static final ClassName NETWORK_SPEC = ClassName.get(NetworkSpec.class);
  static final ClassName TENSOR_SPEC = ClassName.get(TensorSpec.class);
  static final ClassName INIT_SPEC = ClassName.get(InitSpec.class);
  static final ClassName TRAIN_CONFIG = ClassName.get(TrainConfig.class);
  static final ClassName DATASET = ClassName.get(Dataset.class);
  static final ClassName RECIPE = ClassName.get(Recipe.class);
  static final ClassName EARLY_STOPPING = ClassName.get(EarlyStopping.class);

  /** Longer literal arrays are emitted as text parsed once, to stay far from javac's limits. */
  static final int MAX_LITERAL_VALUES = 64;

  /** Values per string chunk: well under the 65,535-byte limit of a class-file string. */
  static final int VALUES_PER_CHUNK = 1000;

  private final EmitContext context;
  private boolean needsParser;

  SpecEmitter(EmitContext context) {
    this.context = context;
  }

  // Emits:
  //
  //   /** Columns of {@code x}, the input the first layer reads. */
  //   public static final int INPUT = 784;
  //   public static final int OUTPUT = 10;
  //   public static final int PARAMETERS = 23860;
  //   public static final int BATCH = 10;
  //   /** Fan-in of {@code hidden} (line 4). */
  //   public static final int HIDDEN_IN = 784;
  //   public static final int HIDDEN_OUT = 30;
  List<FieldSpec> constants() {
    Model model = context.model;
    List<FieldSpec> fields = new ArrayList<>();
    fields.add(
        constant(
            "INPUT",
            context.spec.inputWidth(),
            "Columns of {@code "
                + EmitContext.text(model.input().name())
                + "} the first layer reads (after any powers; preprocessing is the runtime's job)."));
    fields.add(constant("OUTPUT", context.spec.outputWidth(), "Width of the last layer."));
    fields.add(
        constant(
            "PARAMETERS", context.spec.parameterCount(), "Length of the flat parameter vector."));
    model
        .train()
        .filter(train -> train.batchSize() > 0)
        .ifPresent(
            train ->
                fields.add(
                    constant("BATCH", train.batchSize(), "Rows per step of the train recipe.")));
    for (int l = 0; l < context.layerCount(); l++) {
      Dense layer = context.layer(l);
      LayerNames names = context.names(l);
      String name = EmitContext.text(layer.name());
      fields.add(
          constant(
              names.inConstant(),
              layer.in(),
              "Fan-in of {@code " + name + "}" + EmitContext.line(layer.span()) + "."));
      fields.add(constant(names.outConstant(), layer.out(), "Width of {@code " + name + "}."));
    }
    return fields;
  }

  private static FieldSpec constant(String name, int value, String javadoc) {
    return FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", javadoc)
        .initializer("$L", value)
        .build();
  }

  // Emits:
  //
  //   public static final NetworkSpec SPEC = new NetworkSpec(
  //       "Nielsen", "nielsen.nn", NetworkSpec.Precision.DOUBLE,
  //       "x", 784, new int[] {}, INPUT, -1,
  //       OUTPUT, "y", NetworkSpec.TargetKind.LABELS, 10, -1,
  //       List.of(
  //           new TensorSpec("hidden.W", "hidden", 4, 784, 30, 0, true, InitSpec.normal(0.0, 1.0)),
  //           …),
  //       PARAMETERS,
  //       NetworkSpec.OutputKind.LOGITS);
  FieldSpec spec() {
    NetworkSpec spec = context.spec;
    CodeBlock.Builder tensors = CodeBlock.builder();
    List<TensorSpec> list = spec.tensors();
    for (int k = 0; k < list.size(); k++) {
      TensorSpec t = list.get(k);
      CodeBlock kernel =
          t.kernel().isEmpty()
              ? CodeBlock.of("")
              : CodeBlock.of(
                  ", $T.of($L, $L, $L, $L)",
                  List.class,
                  t.kernel().get(0),
                  t.kernel().get(1),
                  t.kernel().get(2),
                  t.kernel().get(3));
      tensors.add(
          "new $T($S, $S, $L, $L, $L, $L, $L, $L$L)$L\n",
          TENSOR_SPEC,
          t.name(),
          t.layer(),
          t.line(),
          t.rows(),
          t.cols(),
          t.offset(),
          t.penalized(),
          init(t.init()),
          kernel,
          k + 1 < list.size() ? "," : "");
    }
    CodeBlock powers = CodeBlock.of("new int[] {$L}", join(spec.featurePowers()));
    CodeBlock initializer =
        CodeBlock.builder()
            .add("new $T(\n$>$>", NETWORK_SPEC)
            .add(
                "$S,\n$L,\n$T.$L,\n",
                spec.name(),
                Literals.stringLiteral(spec.sourceFile()),
                NETWORK_SPEC.nestedClass("Precision"),
                spec.precision().name())
            .add(
                "$S,\n$L,\n$L,\nINPUT,\n$L,\n",
                spec.inputName(),
                spec.rawInputWidth(),
                powers,
                spec.inputStandardizeDdof())
            .add(
                "OUTPUT,\n$S,\n$T.$L,\n$L,\n$L,\n",
                spec.targetName(),
                NETWORK_SPEC.nestedClass("TargetKind"),
                spec.targetKind().name(),
                spec.targetWidth(),
                spec.targetStandardizeDdof())
            .add("$T.of(\n$>$>$L$<$<),\n", List.class, tensors.build())
            .add(
                "PARAMETERS,\n$T.$L)$<$<",
                NETWORK_SPEC.nestedClass("OutputKind"),
                spec.outputKind().name())
            .build();
    return FieldSpec.builder(NETWORK_SPEC, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(
            "The network as the runtime sees it: widths, preprocessing, and the name, shape, flat"
                + " offset, init and\n{@code .nn} line of every tensor.\n")
        .initializer(initializer)
        .build();
  }

  // Emits InitSpec.normal(0.0, 1.0), InitSpec.xavier(), InitSpec.values(0.5, 0.7) or, for many
  // values, InitSpec.values(parseDoubles("0.5 0.7 …")).
  private CodeBlock init(InitSpec init) {
    return switch (init.kind()) {
      case UNIFORM -> CodeBlock.of("$T.uniform($L, $L)", INIT_SPEC, lit(init.a()), lit(init.b()));
      case NORMAL -> CodeBlock.of("$T.normal($L, $L)", INIT_SPEC, lit(init.a()), lit(init.b()));
      case CONSTANT -> CodeBlock.of("$T.constant($L)", INIT_SPEC, lit(init.a()));
      case XAVIER -> CodeBlock.of("$T.xavier()", INIT_SPEC);
      case HE -> CodeBlock.of("$T.he()", INIT_SPEC);
      case VALUES ->
          init.values().length <= MAX_LITERAL_VALUES
              ? CodeBlock.of("$T.values($L)", INIT_SPEC, join(init.values()))
              : CodeBlock.of("$T.values($L)", INIT_SPEC, parsed(init.values()));
    };
  }

  // Emits:
  //
  //   /** The train block of xor.nn (line 9). */
  //   public static TrainConfig trainConfig() {
  //     return new TrainConfig(0.5, 1.0, 0, false, false, 2000, 0, 1L);
  //   }
  Optional<MethodSpec> trainConfig() {
    return context.model.train().map(this::trainConfigMethod);
  }

  private MethodSpec trainConfigMethod(Train train) {
    TrainConfig config = RuntimeViews.trainConfig(train);
    OptimizerSpec optimizer = config.optimizer();
    // Plain SGD keeps the short form; any other optimizer is spelled out as its OptimizerSpec.
    CodeBlock optimizerArgument =
        optimizer.equals(OptimizerSpec.sgd())
            ? CodeBlock.of("")
            : CodeBlock.of(
                ", new $T($T.$L, $L, $L, $L, $L, $L)",
                OptimizerSpec.class,
                OptimizerSpec.Kind.class,
                optimizer.kind().name(),
                lit(optimizer.momentum()),
                lit(optimizer.beta1()),
                lit(optimizer.beta2()),
                lit(optimizer.epsilon()),
                optimizer.memory());
    return MethodSpec.methodBuilder("trainConfig")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(TRAIN_CONFIG)
        .addJavadoc(
            "The {@code train} block$L: learning rate, decay per epoch, batch size, shuffle,"
                + " with replacement,\nepochs, steps, seed (and the optimizer, unless plain SGD).\n",
            EmitContext.line(train.span()))
        .addStatement(
            "return new $T($L, $L, $L, $L, $L, $L, $L, $L$L)$L",
            TRAIN_CONFIG,
            lit(config.learningRate()),
            lit(config.decayPerEpoch()),
            config.batchSize(),
            config.shuffle(),
            config.withReplacement(),
            config.epochs(),
            config.steps(),
            Literals.longLiteral(config.seed()),
            optimizerArgument,
            scheduleCall(config.schedule()))
        .build();
  }

  /** {@code .withSchedule(LearningRateSchedule.cosine(0.0, 5))}, or nothing without a schedule. */
  private static CodeBlock scheduleCall(LearningRateSchedule schedule) {
    if (schedule == null) {
      return CodeBlock.of("");
    }
    ClassName type = ClassName.get(LearningRateSchedule.class);
    return switch (schedule.kind()) {
      case STEP ->
          CodeBlock.of(
              "\n$>$>.withSchedule($T.step($L, $L, $L))$<$<",
              type,
              schedule.every(),
              lit(schedule.factor()),
              schedule.warmup());
      case EXPONENTIAL ->
          CodeBlock.of(
              "\n$>$>.withSchedule($T.exponential($L, $L))$<$<",
              type,
              lit(schedule.factor()),
              schedule.warmup());
      case COSINE ->
          CodeBlock.of(
              "\n$>$>.withSchedule($T.cosine($L, $L))$<$<",
              type,
              lit(schedule.minRate()),
              schedule.warmup());
    };
  }

  // Emits:
  //
  //   /** The train block (line 9) as a Recipe: ... */
  //   public static Recipe<Wine> recipe() {
  //     return Recipe.of(SPEC, Wine::new, trainConfig())
  //         .data(new DataFile.Csv("train.csv", true, 0))
  //         .validationSplit(0.2)
  //         .stopEarly(new EarlyStopping(20, "val_loss", 0.0, true));
  //   }
  Optional<MethodSpec> recipe() {
    return context.model.train().map(this::recipeMethod);
  }

  private MethodSpec recipeMethod(Train train) {
    Model model = context.model;
    ClassName self = ClassName.get("", model.name());
    CodeBlock.Builder body =
        CodeBlock.builder().add("return $T.of(SPEC, $T::new, trainConfig())$>$>", RECIPE, self);
    if (train.data().isPresent()) {
      body.add("\n.data(inlineData())");
    } else if (train.source().isPresent()) {
      body.add("\n.data($L)", dataFile(train.source().get()));
    }
    if (train.validationSplit() > 0) {
      body.add("\n.validationSplit($L)", lit(train.validationSplit()));
    } else if (train.validation().isPresent()) {
      body.add("\n.validation($L)", dataFile(train.validation().get()));
    }
    train
        .earlyStopping()
        .ifPresent(
            rule ->
                body.add(
                    "\n.stopEarly(new $T($L, $L, $L, $L))",
                    EARLY_STOPPING,
                    rule.patience(),
                    Literals.stringLiteral(rule.monitor()),
                    lit(rule.minDelta()),
                    rule.restoreBest()));
    Reduction reduction = model.loss().reduction();
    if (reduction == Reduction.SUM || reduction == Reduction.HALF_SUM) {
      body.add("\n.summedLoss()");
    }
    body.add(";\n$<$<");
    return MethodSpec.methodBuilder("recipe")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(ParameterizedTypeName.get(RECIPE, self))
        .addJavadoc(
            "The {@code train} block$L as a {@link $T}: {@link #trainConfig()}, the data and validation"
                + " statements\n(paths as written: {@code recipe().relativeTo(Path.of(\"…/$L\"))}"
                + " resolves them as\n{@code nnc train} does) and early stopping. {@code"
                + " recipe().model().fit()} trains as {@code nnc train} does\nand returns the"
                + " history.\n",
            EmitContext.line(train.span()),
            RECIPE,
            EmitContext.text(fileName(model.sourceFile())))
        .addCode(body.build())
        .build();
  }

  /** The last part of a path as written ({@code a/b/wine.nn} → {@code wine.nn}). */
  private static String fileName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  private CodeBlock dataFile(dev.nnc.ir.DataSource source) {
    DataFile file = RuntimeViews.dataFile(source);
    if (file instanceof DataFile.Csv csv) {
      return CodeBlock.of(
          "new $T($L, $L, $L)",
          DataFile.Csv.class,
          Literals.stringLiteral(csv.file()),
          csv.header(),
          csv.rows());
    } else if (file instanceof DataFile.Npz npz) {
      return CodeBlock.of(
          "new $T($L, $L, $L, $L)",
          DataFile.Npz.class,
          Literals.stringLiteral(npz.file()),
          Literals.stringLiteral(npz.inputMember()),
          Literals.stringLiteral(npz.targetMember()),
          npz.rows());
    }
    DataFile.Idx idx = (DataFile.Idx) file;
    return CodeBlock.of(
        "new $T($L, $L, $L, $L)",
        DataFile.Idx.class,
        Literals.stringLiteral(idx.images()),
        Literals.stringLiteral(idx.labels()),
        lit(idx.scale()),
        idx.rows());
  }

  // Emits:
  //
  //   /** The rows of {@code data inline} (line 11), raw: before powers and standardisation. */
  //   public static Dataset inlineData() {
  //     return new Dataset("inline", 4, 2, new double[] {0.0, 0.0, 0.0, 1.0, …}, 1,
  //         new double[] {0.0, 1.0, 1.0, 0.0}, null);
  //   }
  Optional<MethodSpec> inlineData() {
    Optional<Dataset> data = RuntimeViews.inlineData(context.model);
    if (data.isEmpty()) {
      return Optional.empty();
    }
    Dataset dataset = data.get();
    String line =
        context.model.train().flatMap(Train::data).map(d -> EmitContext.line(d.span())).orElse("");
    CodeBlock targets =
        dataset.targets() == null ? CodeBlock.of("null") : doubles(dataset.targets());
    CodeBlock labels =
        dataset.labels() == null
            ? CodeBlock.of("null")
            : CodeBlock.of("new int[] {$L}", join(dataset.labels()));
    return Optional.of(
        MethodSpec.methodBuilder("inlineData")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(DATASET)
            .addJavadoc(
                "The rows of {@code data inline}$L, raw: before powers and standardisation.\n",
                line)
            .addStatement(
                "return new $T(\n$>$>$S,\n$L,\n$L,\n$L,\n$L,\n$L,\n$L)$<$<",
                DATASET,
                dataset.source(),
                dataset.rows(),
                dataset.inputWidth(),
                doubles(dataset.x()),
                dataset.targetWidth(),
                targets,
                labels)
            .build());
  }

  /** Whether some literal was long enough to be emitted as parsed text. */
  boolean needsParser() {
    return needsParser;
  }

  // Emits:
  //
  //   /** Reads the numbers of {@code chunks}, separated by spaces: long literals, kept as text. */
  //   private static double[] parseDoubles(String... chunks) {
  //     String[] values = String.join(" ", chunks).split(" ");
  //     double[] out = new double[values.length];
  //     for (int i = 0; i < values.length; i++) {
  //       out[i] = Double.parseDouble(values[i]);
  //     }
  //     return out;
  //   }
  static MethodSpec parser() {
    return MethodSpec.methodBuilder("parseDoubles")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc(
            "Reads the numbers of {@code chunks}, separated by spaces: long literal lists are kept as"
                + " text, so they cost\nno bytecode and no constant-pool entries.\n")
        .returns(double[].class)
        .addParameter(String[].class, "chunks")
        .varargs()
        .addStatement(
            "$T[] values = $T.join($S, chunks).split($S)", String.class, String.class, " ", " ")
        .addStatement("double[] out = new double[values.length]")
        .beginControlFlow("for (int i = 0; i < values.length; i++)")
        .addStatement("out[i] = $T.parseDouble(values[i])", Double.class)
        .endControlFlow()
        .addStatement("return out")
        .build();
  }

  /** {@code new double[] {0.5, 0.7}} or, when long, {@code parseDoubles("0.5 0.7 …", …)}. */
  private CodeBlock doubles(double[] values) {
    if (values.length <= MAX_LITERAL_VALUES) {
      return CodeBlock.of("new double[] {$L}", join(values));
    }
    return parsed(values);
  }

  private CodeBlock parsed(double[] values) {
    needsParser = true;
    List<CodeBlock> chunks = new ArrayList<>();
    for (int from = 0; from < values.length; from += VALUES_PER_CHUNK) {
      StringBuilder text = new StringBuilder();
      for (int k = from; k < Math.min(values.length, from + VALUES_PER_CHUNK); k++) {
        text.append(k > from ? " " : "").append(Double.toString(values[k]));
      }
      chunks.add(CodeBlock.of("$S", text.toString()));
    }
    return CodeBlock.of("parseDoubles($L)", CodeBlock.join(chunks, ",\n"));
  }

  private static String lit(double value) {
    return Literals.doubleLiteral(value);
  }

  private static String join(double[] values) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < values.length; k++) {
      out.append(k > 0 ? ", " : "").append(lit(values[k]));
    }
    return out.toString();
  }

  private static String join(int[] values) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < values.length; k++) {
      out.append(k > 0 ? ", " : "").append(values[k]);
    }
    return out.toString();
  }
}
