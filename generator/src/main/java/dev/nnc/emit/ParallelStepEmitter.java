package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.runtime.parallel.HelperThread;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The training step of {@code lossAndGradient}, and its data-parallel form for networks with a
 * looped layer: a batch of at least {@code SPLIT_ROWS} rows is always computed as two halves, the
 * second half's gradients in a second set of arrays, then added to the first in a fixed order. Two
 * threads ({@code setThreads(2)}) compute the halves at the same time; one thread computes them one
 * after the other. Either way the same sums happen in the same order, so the results are
 * bit-identical whatever the thread count. The per-row buffers are shared: the halves touch
 * disjoint rows.
 */
final class ParallelStepEmitter {
  private ParallelStepEmitter() {}

  // Emits (splittable network):
  //
  //   transposeWeights();
  //   double loss;
  //   if (rows < SPLIT_ROWS || dHiddenWSecond == null) {
  //     loss = lossAndGradientPart(batch, rows, 0, rows, false);
  //   } else {
  //     // two halves, by one thread or two, summed in a fixed order: …
  //     int half = rows / 2;
  //     if (helper != null) {
  //       pendingBatch = batch;
  //       pendingRows = rows;
  //       pendingFrom = half;
  //       helper.start(secondHalf);
  //       double firstLoss = lossAndGradientPart(batch, rows, 0, half, false);
  //       helper.join();
  //       pendingBatch = null;
  //       loss = firstLoss + secondLoss;
  //     } else {
  //       double firstLoss = lossAndGradientPart(batch, rows, 0, half, false);
  //       loss = firstLoss + lossAndGradientPart(batch, rows, half, rows, true);
  //     }
  //     addSecondGradients();
  //   }
  //
  // and for a network of unrolled layers only, the step itself:
  //
  //   outForward(0, rows);
  //   double loss = lossAndDelta(batch, rows, 0, rows);
  //   zeroGradients();
  //   outBackward(0, rows, dOutW, dOutB);
  static CodeBlock lossAndGradientBody(EmitContext context) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (!context.splittable()) {
      for (int l = 0; l < context.layerCount(); l++) {
        code.addStatement("$N(0, rows)", context.names(l).forward());
      }
      code.addStatement("double loss = lossAndDelta(batch, rows, 0, rows)");
      code.addStatement("zeroGradients()");
      code.add(backwardCalls(context, "0", "rows", false));
      return code.build();
    }
    if (context.anyTransposed()) {
      code.addStatement("transposeWeights()");
    }
    String firstSecond = context.names(0).secondWeightGradient();
    code.addStatement("double loss");
    code.beginControlFlow("if (rows < SPLIT_ROWS || $N == null)", firstSecond)
        .addStatement("loss = lossAndGradientPart(batch, rows, 0, rows, false)")
        .nextControlFlow("else")
        .add(
            "// two halves, by one thread or two, their gradients summed in a fixed order: the"
                + " result does\n// not depend on the thread count\n")
        .addStatement("int half = rows / 2")
        .beginControlFlow("if (helper != null)")
        .addStatement("pendingBatch = batch")
        .addStatement("pendingRows = rows")
        .addStatement("pendingFrom = half")
        .addStatement("helper.start(secondHalf)")
        .addStatement("double firstLoss = lossAndGradientPart(batch, rows, 0, half, false)")
        .addStatement("helper.join()")
        .addStatement("pendingBatch = null")
        .addStatement("loss = firstLoss + secondLoss")
        .nextControlFlow("else")
        .addStatement("double firstLoss = lossAndGradientPart(batch, rows, 0, half, false)")
        .addStatement("loss = firstLoss + lossAndGradientPart(batch, rows, half, rows, true)")
        .endControlFlow()
        .addStatement("addSecondGradients()")
        .endControlFlow();
    return code.build();
  }

  /** {@code outBackward(from, to, dOutW, dOutB); hiddenBackward(…);}: the layers in reverse. */
  private static CodeBlock backwardCalls(
      EmitContext context, String from, String to, boolean second) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int l = context.layerCount() - 1; l >= 0; l--) {
      LayerNames names = context.names(l);
      String weights = second ? names.secondWeightGradient() : names.weightGradient();
      String bias = second ? names.secondBiasGradient() : names.biasGradient();
      if (bias != null) {
        code.addStatement("$N($L, $L, $N, $N)", names.backward(), from, to, weights, bias);
      } else {
        code.addStatement("$N($L, $L, $N)", names.backward(), from, to, weights);
      }
    }
    return code.build();
  }

  // Emits:
  //
  //   private double lossAndGradientPart(Batch batch, int rows, int from, int to, boolean second) {
  //     loadInput(batch.x, 0, from, to);
  //     hiddenForward(from, to);
  //     outForward(from, to);
  //     double loss = lossAndDelta(batch, rows, from, to);
  //     if (second) {
  //       zeroSecondGradients();
  //       outBackward(from, to, dOutWSecond, dOutBSecond);
  //       hiddenBackward(from, to, dHiddenWSecond, dHiddenBSecond);
  //     } else {
  //       zeroGradients();
  //       outBackward(from, to, dOutW, dOutB);
  //       hiddenBackward(from, to, dHiddenW, dHiddenB);
  //     }
  //     return loss;
  //   }
  static MethodSpec partMethod(EmitContext context) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("lossAndGradientPart")
            .addModifiers(Modifier.PRIVATE)
            .returns(double.class)
            .addJavadoc(
                "Forward, loss and backward over rows {@code from} to {@code to − 1} of a batch of"
                    + " {@code rows} rows;\nthe gradients of the first part go to the gradient"
                    + " arrays, those of the second half to the second set.\n")
            .addParameter(NetworkGenerator.BATCH, "batch")
            .addParameter(int.class, "rows")
            .addParameter(int.class, "from")
            .addParameter(int.class, "to")
            .addParameter(boolean.class, "second");
    // each half copies its own input rows: on two threads, in parallel
    method.addStatement("loadInput(batch.x, 0, from, to)");
    for (int l = 0; l < context.layerCount(); l++) {
      method.addStatement("$N(from, to)", context.names(l).forward());
    }
    method.addStatement("double loss = lossAndDelta(batch, rows, from, to)");
    method
        .beginControlFlow("if (second)")
        .addStatement("zeroSecondGradients()")
        .addCode(backwardCalls(context, "from", "to", true))
        .nextControlFlow("else")
        .addStatement("zeroGradients()")
        .addCode(backwardCalls(context, "from", "to", false))
        .endControlFlow();
    return method.addStatement("return loss").build();
  }

  // Emits:
  //
  //   /** The helper thread's task: the second half of the batch handed over in pendingBatch. */
  //   private void runSecondHalf() {
  //     secondLoss = lossAndGradientPart(pendingBatch, pendingRows, pendingFrom, pendingRows,
  // true);
  //   }
  static MethodSpec runSecondHalfMethod() {
    return MethodSpec.methodBuilder("runSecondHalf")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "The helper thread's task: the second half of the batch in {@code pendingBatch}.\n")
        .addStatement(
            "secondLoss = lossAndGradientPart(pendingBatch, pendingRows, pendingFrom, pendingRows,"
                + " true)")
        .build();
  }

  // Emits: Arrays.fill(dHiddenBSecond, 0.0); … (and for (double[] row : dTinyWSecond) {
  // Arrays.fill(row,
  // 0.0); } for an unrolled layer; a looped layer's W is written whole by matmulColumns)
  static MethodSpec zeroSecondGradientsMethod(EmitContext context) {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    for (int l = 0; l < context.layerCount(); l++) {
      LayerNames names = context.names(l);
      if (context.unrolled(l)) {
        code.beginControlFlow("for ($T row : $N)", numeric.vector(), names.secondWeightGradient())
            .addStatement("$T.fill(row, $L)", Arrays.class, numeric.literal(0))
            .endControlFlow();
      } else {
        code.add(
            "// $L.W: written whole by its backward pass (Kernels.matmulColumns)\n",
            EmitContext.text(context.layer(l).name()));
      }
      if (names.secondBiasGradient() != null) {
        code.addStatement(
            "$T.fill($N, $L)", Arrays.class, names.secondBiasGradient(), numeric.literal(0));
      }
    }
    return MethodSpec.methodBuilder("zeroSecondGradients")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc("Zeroes the gradients of the second half.\n")
        .addCode(code.build())
        .build();
  }

  // Emits:
  //
  //   private void addSecondGradients() {
  //     for (int i = 0; i < HIDDEN_IN; i++) {
  //       double[] dwRow = dHiddenW[i];
  //       double[] wRow = dHiddenWSecond[i];
  //       for (int j = 0; j < HIDDEN_OUT; j++) {
  //         dwRow[j] += wRow[j];
  //       }
  //     }
  //     for (int j = 0; j < HIDDEN_OUT; j++) {
  //       dHiddenB[j] += dHiddenBSecond[j];
  //     }
  //     …
  //   }
  static MethodSpec addSecondGradientsMethod(EmitContext context) {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    for (int l = 0; l < context.layerCount(); l++) {
      LayerNames names = context.names(l);
      code.beginControlFlow("for (int i = 0; i < $N; i++)", names.inConstant())
          .addStatement("$T dwRow = $N[i]", numeric.vector(), names.weightGradient())
          .addStatement("$T wRow = $N[i]", numeric.vector(), names.secondWeightGradient())
          .beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
          .addStatement("dwRow[j] += wRow[j]")
          .endControlFlow()
          .endControlFlow();
      if (names.biasGradient() != null) {
        code.beginControlFlow("for (int j = 0; j < $N; j++)", names.outConstant())
            .addStatement("$N[j] += $N[j]", names.biasGradient(), names.secondBiasGradient())
            .endControlFlow();
      }
    }
    return MethodSpec.methodBuilder("addSecondGradients")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc("Adds the second half's gradients to the first's: always first + second.\n")
        .addCode(code.build())
        .build();
  }

  // Emits:
  //
  //   /** The smallest batch split into two halves (each about 5 MFLOP of matrix products). */
  //   public static final int SPLIT_ROWS = 64;
  //   private final double[][] dHiddenWSecond;   (null when maxRows < SPLIT_ROWS)
  //   …
  //   private HelperThread helper;
  //   private final Runnable secondHalf = this::runSecondHalf;
  //   private Batch pendingBatch;
  //   private int pendingRows;
  //   private int pendingFrom;
  //   private double secondLoss;
  static List<FieldSpec> fields(EmitContext context) {
    Numeric numeric = context.numeric;
    List<FieldSpec> fields = new ArrayList<>();
    fields.add(
        FieldSpec.builder(int.class, "SPLIT_ROWS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc(
                "The smallest batch a training step splits into two halves (each about 5 MFLOP of"
                    + " matrix products,\n0.5 ms at 10 GFLOP/s: worth handing to another thread).\n")
            .initializer("$L", context.splitRows())
            .build());
    for (int l = 0; l < context.layerCount(); l++) {
      LayerNames names = context.names(l);
      String name = EmitContext.text(context.layer(l).name());
      fields.add(
          FieldSpec.builder(
                  numeric.matrix(), names.secondWeightGradient(), Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc(
                  "∂loss/∂$L.W of the second half of a split batch; null when maxRows < SPLIT_ROWS.\n",
                  name)
              .build());
      if (names.secondBiasGradient() != null) {
        fields.add(
            FieldSpec.builder(
                    numeric.vector(), names.secondBiasGradient(), Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("∂loss/∂$L.b of the second half of a split batch.\n", name)
                .build());
      }
    }
    fields.add(
        FieldSpec.builder(HelperThread.class, "helper", Modifier.PRIVATE)
            .addJavadoc("The thread computing second halves, or null for one thread.\n")
            .build());
    fields.add(
        FieldSpec.builder(Runnable.class, "secondHalf", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("this::runSecondHalf")
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

  // Emits, in the constructor:
  //
  //   boolean split = maxRows >= SPLIT_ROWS;
  //   this.dHiddenWSecond = split ? new double[HIDDEN_IN][HIDDEN_OUT] : null;
  //   …
  static CodeBlock constructorCode(EmitContext context) {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("boolean split = maxRows >= SPLIT_ROWS");
    for (int l = 0; l < context.layerCount(); l++) {
      LayerNames names = context.names(l);
      code.addStatement(
          "this.$N = split ? new $T[$N][$N] : null",
          names.secondWeightGradient(),
          numeric.scalar(),
          names.inConstant(),
          names.outConstant());
      if (names.secondBiasGradient() != null) {
        code.addStatement(
            "this.$N = split ? new $T[$N] : null",
            names.secondBiasGradient(),
            numeric.scalar(),
            names.outConstant());
      }
    }
    return code.build();
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
