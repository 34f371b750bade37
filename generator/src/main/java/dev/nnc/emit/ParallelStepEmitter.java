package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.runtime.parallel.HelperThread;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The training step of {@code lossAndGradient}, and its data-parallel form for networks with a
 * looped layer. A step has two phases:
 *
 * <ol>
 *   <li>the rows: forward, loss and the backward pass's δ and dx, which every batch row computes
 *       alone; a batch of at least {@code SPLIT_ROWS} rows is taken as two halves, whose losses are
 *       added first + second;
 *   <li>the weights: dW = xᵀ·δ and db, which sum over every row; each looped layer's dW is cut by
 *       its rows (the inputs), each element one chain over all the batch rows.
 * </ol>
 *
 * <p>Two threads ({@code setThreads(2)}) take one half of each phase each; one thread takes both
 * halves in turn. Either way every number is the same sum in the same order, so the results are
 * bit-identical whatever the thread count, and no second set of gradients is needed. The per-row
 * buffers are shared: the halves touch disjoint rows, and disjoint rows of each dW.
 */
final class ParallelStepEmitter {
  private ParallelStepEmitter() {}

  // Emits (splittable network):
  //
  //   transposeWeights();
  //   zeroGradients();
  //   double loss;
  //   if (rows < SPLIT_ROWS) {
  //     loss = lossAndGradientPart(batch, rows, 0, rows);
  //     weightGradients(rows, 0, 1);
  //   } else {
  //     // two halves, by one thread or two: … the result does not depend on the thread count
  //     int half = rows / 2;
  //     if (helper != null) {
  //       pendingBatch = batch;
  //       pendingRows = rows;
  //       pendingFrom = half;
  //       helper.start(secondHalf);
  //       double firstLoss = lossAndGradientPart(batch, rows, 0, half);
  //       helper.join();
  //       pendingBatch = null;
  //       loss = firstLoss + secondLoss;
  //       helper.start(secondWeights);
  //       weightGradients(rows, 0, 2);
  //       helper.join();
  //     } else {
  //       double firstLoss = lossAndGradientPart(batch, rows, 0, half);
  //       loss = firstLoss + lossAndGradientPart(batch, rows, half, rows);
  //       weightGradients(rows, 0, 1);
  //     }
  //   }
  //
  // and for a network of unrolled layers only, the step itself:
  //
  //   loadInput(batch.x, 0, 0, rows);
  //   outForward(0, rows);
  //   double loss = lossAndDelta(batch, rows, 0, rows);
  //   zeroGradients();
  //   outBackward(0, rows);
  //   outGradients(rows);
  static CodeBlock lossAndGradientBody(EmitContext context) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (!context.splittable()) {
      code.add(spatialForwardCalls(context, "0", "rows"));
      for (int l = 0; l < context.layerCount(); l++) {
        code.addStatement("$N(0, rows)", context.names(l).forward());
      }
      code.addStatement("double loss = lossAndDelta(batch, rows, 0, rows)");
      code.addStatement("zeroGradients()");
      code.add(backwardCalls(context, "0", "rows"));
      for (int l = context.layerCount() - 1; l >= 0; l--) {
        code.addStatement("$N(rows)", context.names(l).gradients());
      }
      code.add(spatialGradientCalls(context, "0", "1"));
      return code.build();
    }
    if (context.anyTransposed()) {
      code.addStatement("transposeWeights()");
    }
    code.addStatement("zeroGradients()");
    code.addStatement("double loss");
    code.beginControlFlow("if (rows < SPLIT_ROWS)")
        .addStatement("loss = lossAndGradientPart(batch, rows, 0, rows)")
        .addStatement("weightGradients(rows, 0, 1)")
        .nextControlFlow("else")
        .add(
            "// two halves of the rows, then two halves of each dW's rows, by one thread or two:"
                + " every\n// number is the same sum in the same order, so the result does not"
                + " depend on the thread count\n")
        .addStatement("int half = rows / 2")
        .beginControlFlow("if (helper != null)")
        .addStatement("pendingBatch = batch")
        .addStatement("pendingRows = rows")
        .addStatement("pendingFrom = half")
        .addStatement("helper.start(secondHalf)")
        .addStatement("double firstLoss = lossAndGradientPart(batch, rows, 0, half)")
        .addStatement("helper.join()")
        .addStatement("pendingBatch = null")
        .addStatement("loss = firstLoss + secondLoss")
        .addStatement("helper.start(secondWeights)")
        .addStatement("weightGradients(rows, 0, 2)")
        .addStatement("helper.join()")
        .nextControlFlow("else")
        .addStatement("double firstLoss = lossAndGradientPart(batch, rows, 0, half)")
        .addStatement("loss = firstLoss + lossAndGradientPart(batch, rows, half, rows)")
        .addStatement("weightGradients(rows, 0, 1)")
        .endControlFlow()
        .endControlFlow();
    return code.build();
  }

  /**
   * {@code outBackward(from, to); hiddenBackward(from, to);}: the layers in reverse, then the conv
   * and pool layers in reverse.
   */
  private static CodeBlock backwardCalls(EmitContext context, String from, String to) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int l = context.layerCount() - 1; l >= 0; l--) {
      code.addStatement("$N($L, $L)", context.names(l).backward(), from, to);
    }
    ConvLayerEmitter spatial = new ConvLayerEmitter(context);
    for (int s = context.spatialCount() - 1; s >= 0; s--) {
      if (spatial.hasBackward(s)) {
        code.addStatement("$N($L, $L)", context.spatialNames(s).backward(), from, to);
      }
    }
    return code.build();
  }

  /** {@code c1Forward(from, to); p1Forward(from, to);}: the conv and pool layers, first to last. */
  private static CodeBlock spatialForwardCalls(EmitContext context, String from, String to) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int s = 0; s < context.spatialCount(); s++) {
      code.addStatement("$N($L, $L)", context.spatialNames(s).forward(), from, to);
    }
    return code.build();
  }

  /** {@code c1Gradients(rows, C1_FILTERS * part / parts, …)}: each conv's dK cut by filters. */
  private static CodeBlock spatialGradientCalls(EmitContext context, String part, String parts) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int s = context.spatialCount() - 1; s >= 0; s--) {
      SpatialNames names = context.spatialNames(s);
      if (names.gradients() != null) {
        code.addStatement(
            "$N(rows, $N * $L / $L, $N * ($L + 1) / $L)",
            names.gradients(),
            names.filtersConstant(),
            part,
            parts,
            names.filtersConstant(),
            part,
            parts);
      }
    }
    return code.build();
  }

  // Emits:
  //
  //   private double lossAndGradientPart(Batch batch, int rows, int from, int to) {
  //     loadInput(batch.x, 0, from, to);
  //     hiddenForward(from, to);
  //     outForward(from, to);
  //     double loss = lossAndDelta(batch, rows, from, to);
  //     outBackward(from, to);
  //     hiddenBackward(from, to);
  //     return loss;
  //   }
  static MethodSpec partMethod(EmitContext context) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("lossAndGradientPart")
            .addModifiers(Modifier.PRIVATE)
            .returns(double.class)
            .addJavadoc(
                "The rows phase over rows {@code from} to {@code to − 1} of a batch of {@code rows}"
                    + " rows: input,\nforward, loss, and the δ and dx of every layer; returns"
                    + " these rows' loss.\n")
            .addParameter(NetworkGenerator.BATCH, "batch")
            .addParameter(int.class, "rows")
            .addParameter(int.class, "from")
            .addParameter(int.class, "to");
    // each half copies its own input rows: on two threads, in parallel
    method.addStatement("loadInput(batch.x, 0, from, to)");
    method.addCode(spatialForwardCalls(context, "from", "to"));
    for (int l = 0; l < context.layerCount(); l++) {
      method.addStatement("$N(from, to)", context.names(l).forward());
    }
    method.addStatement("double loss = lossAndDelta(batch, rows, from, to)");
    method.addCode(backwardCalls(context, "from", "to"));
    return method.addStatement("return loss").build();
  }

  // Emits:
  //
  //   private void weightGradients(int rows, int part, int parts) {
  //     outGradients(rows, OUT_IN * part / parts, OUT_IN * (part + 1) / parts);
  //     hiddenGradients(rows, HIDDEN_IN * part / parts, HIDDEN_IN * (part + 1) / parts);
  //     if (part == 0) {
  //       tinyGradients(rows);    (an unrolled layer: all of it, by the first part)
  //     }
  //   }
  static MethodSpec weightGradientsMethod(EmitContext context) {
    CodeBlock.Builder looped = CodeBlock.builder();
    CodeBlock.Builder unrolled = CodeBlock.builder();
    for (int l = context.layerCount() - 1; l >= 0; l--) {
      LayerNames names = context.names(l);
      if (context.unrolled(l)) {
        unrolled.addStatement("$N(rows)", names.gradients());
      } else {
        looped.addStatement(
            "$N(rows, $N * part / parts, $N * (part + 1) / parts)",
            names.gradients(),
            names.inConstant(),
            names.inConstant());
      }
    }
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("weightGradients")
            .addModifiers(Modifier.PRIVATE)
            .addJavadoc(
                "The weights phase: part {@code part} of {@code parts} of the rows of every looped"
                    + " layer's dW (and its db,\nand all of an unrolled layer's, with the first"
                    + " part), from every row's δ.\n")
            .addParameter(int.class, "rows")
            .addParameter(int.class, "part")
            .addParameter(int.class, "parts")
            .addCode(looped.build())
            .addCode(spatialGradientCalls(context, "part", "parts"));
    CodeBlock tiny = unrolled.build();
    if (!tiny.isEmpty()) {
      method.beginControlFlow("if (part == 0)").addCode(tiny).endControlFlow();
    }
    return method.build();
  }

  // Emits:
  //
  //   /** The helper thread's task: the second half of the batch handed over in pendingBatch. */
  //   private void runSecondHalf() {
  //     secondLoss = lossAndGradientPart(pendingBatch, pendingRows, pendingFrom, pendingRows);
  //   }
  static MethodSpec runSecondHalfMethod() {
    return MethodSpec.methodBuilder("runSecondHalf")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "The helper thread's first task: the rows phase of the second half of the batch in"
                + " {@code pendingBatch}.\n")
        .addStatement(
            "secondLoss = lossAndGradientPart(pendingBatch, pendingRows, pendingFrom, pendingRows)")
        .build();
  }

  // Emits:
  //
  //   private void runSecondWeights() {
  //     weightGradients(pendingRows, 1, 2);
  //   }
  static MethodSpec runSecondWeightsMethod() {
    return MethodSpec.methodBuilder("runSecondWeights")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "The helper thread's second task: the second half of the rows of every looped layer's"
                + " dW.\n")
        .addStatement("weightGradients(pendingRows, 1, 2)")
        .build();
  }

  // Emits:
  //
  //   /** The smallest batch split into two halves (each about 5 MFLOP of matrix products). */
  //   public static final int SPLIT_ROWS = 64;
  //   private HelperThread helper;
  //   private final Runnable secondHalf = this::runSecondHalf;
  //   private final Runnable secondWeights = this::runSecondWeights;
  //   private Batch pendingBatch;
  //   private int pendingRows;
  //   private int pendingFrom;
  //   private double secondLoss;
  static List<FieldSpec> fields(EmitContext context) {
    List<FieldSpec> fields = new ArrayList<>();
    fields.add(
        FieldSpec.builder(int.class, "SPLIT_ROWS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc(
                "The smallest batch a training step splits into two halves (each about 5 MFLOP of"
                    + " matrix products,\n0.5 ms at 10 GFLOP/s: worth handing to another thread).\n")
            .initializer("$L", context.splitRows())
            .build());
    fields.add(
        FieldSpec.builder(HelperThread.class, "helper", Modifier.PRIVATE)
            .addJavadoc("The thread computing second halves, or null for one thread.\n")
            .build());
    fields.add(
        FieldSpec.builder(Runnable.class, "secondHalf", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("this::runSecondHalf")
            .build());
    fields.add(
        FieldSpec.builder(Runnable.class, "secondWeights", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("this::runSecondWeights")
            .build());
    fields.add(
        FieldSpec.builder(NetworkGenerator.BATCH, "pendingBatch", Modifier.PRIVATE)
            .addJavadoc("What the helper thread works on, set before it starts.\n")
            .build());
    fields.add(FieldSpec.builder(int.class, "pendingRows", Modifier.PRIVATE).build());
    fields.add(FieldSpec.builder(int.class, "pendingFrom", Modifier.PRIVATE).build());
    fields.add(FieldSpec.builder(double.class, "secondLoss", Modifier.PRIVATE).build());
    return fields;
  }

  // Emits setThreads(int), threads() and splitRows() of DataParallel.
  static List<MethodSpec> threadMethods(EmitContext context) {
    MethodSpec setThreads =
        MethodSpec.methodBuilder("setThreads")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc(
                "1 or 2 threads for batches of at least {@link #SPLIT_ROWS} rows; the results are"
                    + " the same either way.\n")
            .addParameter(int.class, "threads")
            .beginControlFlow("if (threads < 1 || threads > 2)")
            .addStatement(
                "throw new $T($S + threads)",
                IllegalArgumentException.class,
                "threads is 1 or 2, got ")
            .endControlFlow()
            .beginControlFlow("if (threads == 2 && helper == null)")
            .addStatement("helper = new $T(SPEC.name() + $S)", HelperThread.class, " second half")
            .nextControlFlow("else if (threads == 1 && helper != null)")
            .addStatement("helper.close()")
            .addStatement("helper = null")
            .endControlFlow()
            .build();
    MethodSpec threads =
        MethodSpec.methodBuilder("threads")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(int.class)
            .addStatement("return helper == null ? 1 : 2")
            .build();
    MethodSpec splitRows =
        MethodSpec.methodBuilder("splitRows")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(int.class)
            .addStatement("return SPLIT_ROWS")
            .build();
    return List.of(setThreads, threads, splitRows);
  }
}
