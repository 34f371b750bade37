package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.runtime.parallel.BlockSums;
import dev.nnc.runtime.parallel.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javax.lang.model.element.Modifier;

/**
 * The training step of {@code lossAndGradient}, and its data-parallel form for networks with a
 * looped layer. A step has two phases:
 *
 * <ol>
 *   <li>the rows: forward, loss and the backward pass's δ and dx, which every batch row computes
 *       alone. The batch is cut into blocks of {@code BLOCK_ROWS} rows (a constant of the network,
 *       never of the thread count), and the blocks' losses are added in a fixed pairwise tree over
 *       the block indices ({@link BlockSums});
 *   <li>the weights: dW = xᵀ·δ and db, which sum over every row. Each dW element is one chain of
 *       fused multiply-adds over the whole batch, in row order; threads take slices of dW's rows
 *       (its inputs), and a slice boundary changes no element.
 * </ol>
 *
 * <p>The blocks and the dW slices are parts of a {@link WorkerPool} round: any thread takes any
 * part, so 1, 2, 3, … N threads compute every number with the same operations in the same order,
 * and the results are bit-identical whatever the thread count. No second set of gradients is
 * needed: the per-row buffers are shared (the blocks touch disjoint rows), and so is dW (the slices
 * touch disjoint rows of it).
 *
 * <p>On one thread, a network whose looped layers are at most {@code BLOCK_ROWS} wide ({@link
 * EmitContext#fusedStep()}, S3's 784→25) takes the two phases block by block instead: each block's
 * rows, then its rows' share of every dW ({@code Kernels.matmulColumnsAdd}, which continues each
 * element's chain), while the block's input rows are still in cache; they are copied into a
 * block-sized buffer lent to the input buffer, so that a large batch is read from memory once per
 * step instead of three times (copied in, read by the forward product, read again by dW). Each dW
 * element is still one chain over the batch rows in order, so the bits are those of the two phases.
 */
final class ParallelStepEmitter {
  private ParallelStepEmitter() {}

  // Emits (splittable network):
  //
  //   transposeWeights();
  //   zeroGradients();
  //   // blocks of BLOCK_ROWS rows, then slices of each dW's rows, by one thread or many: …
  //   int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
  //   pendingBatch = batch;
  //   pendingRows = rows;
  //   if (pool == null || blocks < 2) {
  //     for (int b = 0; b < blocks; b++) {
  //       runBlock(b);
  //     }
  //     weightGradients(0, rows, 0, 1, false);
  //   } else {
  //     pool.run(blockTask, blocks);
  //     pendingParts = 2 * pool.threads();
  //     pool.run(weightsTask, pendingParts);
  //   }
  //   pendingBatch = null;
  //   double loss = BlockSums.pairwise(blockLosses, 0, blocks);
  //
  // where a fused step (EmitContext.fusedStep()) has for one thread:
  //
  //     for (double[] row : dHiddenW) { Arrays.fill(row, 0.0); }   (every looped dW)
  //     for (int b = 0; b < blocks; b++) {
  //       int from = b * BLOCK_ROWS;
  //       int to = Math.min(rows, from + BLOCK_ROWS);
  //       for (int r = from; r < to; r++) { x[r] = xBlock[r - from]; }
  //       blockLosses[b] = lossAndGradientPart(batch, rows, from, to);
  //       weightGradients(from, to, 0, 1, true);
  //       for (int r = from; r < to; r++) { x[r] = xRows[r]; }
  //     }
  //
  // and for a network of unrolled layers only, the step itself:
  //
  //   loadInput(batch.x, 0, 0, rows);
  //   outForward(0, rows);
  //   double loss = lossAndDelta(batch, rows, 0, rows);
  //   zeroGradients();
  //   outBackward(0, rows);
  //   outGradients(0, rows);
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
        code.addStatement("$N(0, rows)", context.names(l).gradients());
      }
      code.add(spatialGradientCalls(context, "0", "1"));
      return code.build();
    }
    if (context.anyTransposed()) {
      code.addStatement("transposeWeights()");
    }
    code.addStatement("zeroGradients()");
    code.add(
            "// blocks of BLOCK_ROWS rows, then slices of each dW's rows, by one thread or many:"
                + " every number\n// is the same sum in the same order, so the result does not"
                + " depend on the thread count\n")
        .addStatement("int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS")
        .addStatement("pendingBatch = batch")
        .addStatement("pendingRows = rows")
        .beginControlFlow("if (pool == null || blocks < 2)");
    if (context.fusedStep()) {
      String x = context.inputBuffer;
      code.add(
          "// one thread: each block's dW added right after its rows, while they are in cache:"
              + " the same\n// chains in the same order as the weights phase below, so the"
              + " same bits; the block's input\n// rows are $N's, lent to $N (which keeps"
              + " $N's own rows in $N), so that they stay in cache.\n// dW starts from zeros"
              + " and every block is added alike, so that the same kernels run\n// for every"
              + " block (a kernel run once per step would wait long for the JIT)\n",
          context.inputBlock,
          x,
          x,
          context.inputRows);
      for (int l = 0; l < context.layerCount(); l++) {
        if (!context.unrolled(l)) {
          code.beginControlFlow(
                  "for ($T row : $N)", context.numeric.vector(), context.names(l).weightGradient())
              .addStatement(
                  "$T.fill(row, $L)", java.util.Arrays.class, context.numeric.literal(0.0))
              .endControlFlow();
        }
      }
      code.beginControlFlow("for (int b = 0; b < blocks; b++)")
          .addStatement("int from = b * BLOCK_ROWS")
          .addStatement("int to = $T.min(rows, from + BLOCK_ROWS)", Math.class)
          .beginControlFlow("for (int r = from; r < to; r++)")
          .addStatement("$N[r] = $N[r - from]", x, context.inputBlock)
          .endControlFlow()
          .addStatement("blockLosses[b] = lossAndGradientPart(batch, rows, from, to)")
          .addStatement("weightGradients(from, to, 0, 1, true)")
          .beginControlFlow("for (int r = from; r < to; r++)")
          .addStatement("$N[r] = $N[r]", x, context.inputRows)
          .endControlFlow()
          .endControlFlow();
    } else {
      code.beginControlFlow("for (int b = 0; b < blocks; b++)")
          .addStatement("runBlock(b)")
          .endControlFlow()
          .addStatement("weightGradients(0, rows, 0, 1, false)");
    }
    code.nextControlFlow("else")
        .addStatement("pool.run(blockTask, blocks)")
        .addStatement("pendingParts = 2 * pool.threads()")
        .addStatement("pool.run(weightsTask, pendingParts)")
        .endControlFlow()
        .addStatement("pendingBatch = null")
        .addStatement("double loss = $T.pairwise(blockLosses, 0, blocks)", BlockSums.class);
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

  /** {@code c1Gradients(from, to, C1_FILTERS * part / parts, …)}: each conv's dK cut by filters. */
  private static CodeBlock spatialGradientCalls(EmitContext context, String part, String parts) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int s = context.spatialCount() - 1; s >= 0; s--) {
      SpatialNames names = context.spatialNames(s);
      if (names.gradients() != null) {
        code.addStatement(
            "$N(from, to, $N * $L / $L, $N * ($L + 1) / $L)",
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
  //     if (heldInputs == null) {
  //       loadInput(batch.x, 0, from, to);   (float: loadBatch(batch, from, to))
  //     } else {   (a fixed batch's rows, converted once: lent)
  //       for (int r = from; r < to; r++) { x[r] = heldInputs[r]; }
  //     }
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
    method
        .beginControlFlow("if (heldInputs == null)")
        .addStatement(NetworkGenerator.loadBatchCall(context, "from", "to"))
        .nextControlFlow("else")
        .addCode(
            context.numeric == Numeric.FLOAT
                ? "// a fixed batch's rows, converted once (lossAndGradientOfFixed), or a float"
                    + " batch's, lent instead:\n// the same numbers\n"
                : "// a fixed batch's rows, converted once (lossAndGradientOfFixed), lent"
                    + " instead: the same numbers\n")
        .beginControlFlow("for (int r = from; r < to; r++)")
        .addStatement("$N[r] = heldInputs[r]", context.inputBuffer)
        .endControlFlow()
        .endControlFlow();
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
  //   private void weightGradients(int from, int to, int part, int parts, boolean add) {
  //     outGradients(from, to, OUT_IN * part / parts, OUT_IN * (part + 1) / parts, add);
  //     hiddenGradients(from, to, HIDDEN_IN * part / parts, HIDDEN_IN * (part + 1) / parts, add);
  //     if (part == 0) {
  //       tinyGradients(from, to);    (an unrolled layer: all of it, by the first part)
  //     }
  //   }
  static MethodSpec weightGradientsMethod(EmitContext context) {
    CodeBlock.Builder looped = CodeBlock.builder();
    CodeBlock.Builder unrolled = CodeBlock.builder();
    for (int l = context.layerCount() - 1; l >= 0; l--) {
      LayerNames names = context.names(l);
      if (context.unrolled(l)) {
        unrolled.addStatement("$N(from, to)", names.gradients());
      } else {
        looped.addStatement(
            "$N(from, to, $N * part / parts, $N * (part + 1) / parts, add)",
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
                    + " part), from the δ of batch rows {@code from} to {@code to − 1}; with"
                    + " {@code add}, each\nlooped dW continues the chains it holds (the rows"
                    + " before {@code from}) instead of starting them.\n")
            .addParameter(int.class, "from")
            .addParameter(int.class, "to")
            .addParameter(int.class, "part")
            .addParameter(int.class, "parts")
            .addParameter(boolean.class, "add")
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
  //   /** The rows phase of block b of the batch in pendingBatch; its loss in blockLosses[b]. */
  //   private void runBlock(int b) {
  //     int from = b * BLOCK_ROWS;
  //     blockLosses[b] =
  //         lossAndGradientPart(pendingBatch, pendingRows, from, Math.min(pendingRows, from +
  // BLOCK_ROWS));
  //   }
  //
  //   /** Slice part of pendingParts of every dW, over the whole batch. */
  //   private void runWeights(int part) {
  //     weightGradients(0, pendingRows, part, pendingParts, false);
  //   }
  static List<MethodSpec> taskMethods() {
    MethodSpec block =
        MethodSpec.methodBuilder("runBlock")
            .addModifiers(Modifier.PRIVATE)
            .addJavadoc(
                "The rows phase of block {@code b} of the batch in {@code pendingBatch} (rows {@code"
                    + " b·BLOCK_ROWS} on);\nits loss goes to {@code blockLosses[b]}. A part of a"
                    + " {@link $T} round, or called in turn by one thread.\n",
                WorkerPool.class)
            .addParameter(int.class, "b")
            .addStatement("int from = b * BLOCK_ROWS")
            .addStatement(
                "blockLosses[b] = lossAndGradientPart(pendingBatch, pendingRows, from, $T.min("
                    + "pendingRows, from + BLOCK_ROWS))",
                Math.class)
            .build();
    MethodSpec weights =
        MethodSpec.methodBuilder("runWeights")
            .addModifiers(Modifier.PRIVATE)
            .addJavadoc(
                "Slice {@code part} of {@code pendingParts} of every looped layer's dW, each"
                    + " element over the whole batch.\n")
            .addParameter(int.class, "part")
            .addStatement("weightGradients(0, pendingRows, part, pendingParts, false)")
            .build();
    return List.of(block, weights);
  }

  // Emits:
  //
  //   @Override
  //   public double blockLossAndGradient(Batch batch, int block, double[] gradient) {
  //     int rows = checkBatch(batch);
  //     int from = block * BLOCK_ROWS;
  //     if (block < 0 || from >= rows) { throw new IllegalArgumentException(…); }
  //     int to = Math.min(rows, from + BLOCK_ROWS);
  //     transposeWeights();
  //     zeroGradients();
  //     double loss = lossAndGradientPart(batch, rows, from, to);
  //     weightGradients(from, to, 0, 1, false);
  //     if (block == 0) {   (with a penalty: block 0 carries it)
  //       double penaltyScale = penaltyScale(rows);
  //       loss += penaltyScale * penaltySquares();
  //       addPenaltyGradient(2.0 * penaltyScale);
  //     }
  //     getGradient(gradient);
  //     return loss;
  //   }
  static MethodSpec blockLossAndGradientMethod(EmitContext context) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("blockLossAndGradient")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(double.class)
            .addJavadoc(
                "Block {@code block}'s share of {@link #lossAndGradient}: the loss and the gradient"
                    + " of its rows\n(rows {@code block·BLOCK_ROWS} on, scaled as part of the"
                    + " whole batch), block 0 with the penalty; the\ngradient is written to {@code"
                    + " gradient} (the layout of {@link #getGradient}). See {@link $T}.\n",
                dev.nnc.runtime.parallel.DataParallel.class)
            .addParameter(NetworkGenerator.BATCH, "batch")
            .addParameter(int.class, "block")
            .addParameter(double[].class, "gradient")
            .addStatement("int rows = checkBatch(batch)")
            .addStatement("int from = block * BLOCK_ROWS")
            .beginControlFlow("if (block < 0 || from >= rows)")
            .addStatement(
                "throw new $T($S + block + $S + rows + $S)",
                IllegalArgumentException.class,
                "block ",
                " of a batch of ",
                " rows")
            .endControlFlow()
            .addStatement("int to = $T.min(rows, from + BLOCK_ROWS)", Math.class);
    if (context.anyTransposed()) {
      method.addStatement("transposeWeights()");
    }
    method
        .addCode(
            "// the buffers will hold this block's rows only, not from row 0: no lastOutputs\n")
        .addStatement("outputRows = 0")
        .addStatement("zeroGradients()")
        .addStatement("double loss = lossAndGradientPart(batch, rows, from, to)")
        .addStatement("weightGradients(from, to, 0, 1, false)");
    if (context.model.penalty().isPresent()) {
      method
          .beginControlFlow("if (block == 0)")
          .addStatement("double penaltyScale = penaltyScale(rows)")
          .addStatement(
              "loss += penaltyScale * $L", PenaltyEmitter.sumCall(context.model.penalty().get()))
          .addStatement(
              "addPenaltyGradient($L)",
              PenaltyEmitter.gradientFactor(context.model.penalty().get()))
          .endControlFlow();
    }
    return method.addStatement("getGradient(gradient)").addStatement("return loss").build();
  }

  // Emits:
  //
  //   @Override
  //   public double blockLossAndGradient(Batch rows, int batchRows, int block, double[] gradient) {
  //     int n = checkBatch(rows);
  //     if (n < 1 || n > BLOCK_ROWS || batchRows < n || block < 0) { throw …; }
  //     transposeWeights();
  //     zeroGradients();
  //     double loss = lossAndGradientPart(rows, batchRows, 0, n);
  //     weightGradients(0, n, 0, 1, false);
  //     if (block == 0) { …penalty scaled for batchRows… }
  //     getGradient(gradient);
  //     return loss;
  //   }
  //
  // Rows 0..n−1 of the buffers instead of from..to: every row is computed alone with the same
  // operations, and dW's chain runs over the same rows in the same order, so the bits are those of
  // the whole-batch form for the same block.
  static MethodSpec blockRowsLossAndGradientMethod(EmitContext context) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("blockLossAndGradient")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(double.class)
            .addJavadoc(
                "Block {@code block}'s share of a batch of {@code batchRows} rows, given only the"
                    + " block's rows (at most\nBLOCK_ROWS): for a cluster whose executors hold"
                    + " blocks, not batches. The same bits as\n{@link #blockLossAndGradient(Batch,"
                    + " int, double[])} on the whole batch. See {@link $T}.\n",
                dev.nnc.runtime.parallel.DataParallel.class)
            .addParameter(NetworkGenerator.BATCH, "rows")
            .addParameter(int.class, "batchRows")
            .addParameter(int.class, "block")
            .addParameter(double[].class, "gradient")
            .addStatement("int n = checkBatch(rows)")
            .beginControlFlow("if (n < 1 || n > BLOCK_ROWS || batchRows < n || block < 0)")
            .addStatement(
                "throw new $T($S + block + $S + n + $S + BLOCK_ROWS + $S + batchRows + $S)",
                IllegalArgumentException.class,
                "block ",
                " of ",
                " rows (1 to ",
                ") of a batch of ",
                " rows")
            .endControlFlow();
    if (context.anyTransposed()) {
      method.addStatement("transposeWeights()");
    }
    if (context.anyDropout()) {
      method.addCode("dropoutRowOffset = block * BLOCK_ROWS; // the masks of the batch's rows\n");
    }
    method
        .addCode("// the buffers will hold the block's rows, from row 0: lastOutputs gives them\n")
        .addStatement("outputRows = n")
        .addStatement("zeroGradients()")
        .addStatement("double loss = lossAndGradientPart(rows, batchRows, 0, n)")
        .addStatement("weightGradients(0, n, 0, 1, false)");
    if (context.model.penalty().isPresent()) {
      method
          .beginControlFlow("if (block == 0)")
          .addStatement("double penaltyScale = penaltyScale(batchRows)")
          .addStatement(
              "loss += penaltyScale * $L", PenaltyEmitter.sumCall(context.model.penalty().get()))
          .addStatement(
              "addPenaltyGradient($L)",
              PenaltyEmitter.gradientFactor(context.model.penalty().get()))
          .endControlFlow();
    }
    return method.addStatement("getGradient(gradient)").addStatement("return loss").build();
  }

  // Emits:
  //
  //   /** Rows per block of a training step (about 2 MFLOP of matrix products each). */
  //   public static final int BLOCK_ROWS = 16;
  //   private WorkerPool pool;
  //   private final IntConsumer blockTask = this::runBlock;
  //   private final IntConsumer weightsTask = this::runWeights;
  //   private Batch pendingBatch;
  //   private int pendingRows;
  //   private int pendingParts;
  //   private final double[] blockLosses;   (sized by the constructor)
  static List<FieldSpec> fields(EmitContext context) {
    List<FieldSpec> fields = new ArrayList<>();
    fields.add(
        FieldSpec.builder(int.class, "BLOCK_ROWS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc(
                "Rows per block of a training step (each about 2 MFLOP of matrix products, 0.2 ms"
                    + " at 10 GFLOP/s:\nworth handing to another thread). A property of the"
                    + " network, never of the thread count.\n")
            .initializer("$L", context.blockRows())
            .build());
    fields.add(
        FieldSpec.builder(WorkerPool.class, "pool", Modifier.PRIVATE)
            .addJavadoc("The threads of a step beside the caller's, or null for one thread.\n")
            .build());
    fields.add(
        FieldSpec.builder(IntConsumer.class, "blockTask", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("this::runBlock")
            .build());
    fields.add(
        FieldSpec.builder(IntConsumer.class, "weightsTask", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("this::runWeights")
            .build());
    fields.add(
        FieldSpec.builder(NetworkGenerator.BATCH, "pendingBatch", Modifier.PRIVATE)
            .addJavadoc("The batch of the step being run, read by its parts.\n")
            .build());
    fields.add(FieldSpec.builder(int.class, "pendingRows", Modifier.PRIVATE).build());
    fields.add(FieldSpec.builder(int.class, "pendingParts", Modifier.PRIVATE).build());
    fields.add(
        FieldSpec.builder(double[].class, "blockLosses", Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("The loss of each block of the step being run.\n")
            .build());
    return fields;
  }

  /** The constructor's line for {@code blockLosses}: one slot per block of {@code maxRows}. */
  static CodeBlock constructorStatements() {
    return CodeBlock.builder()
        .addStatement("this.blockLosses = new double[(maxRows + BLOCK_ROWS - 1) / BLOCK_ROWS]")
        .build();
  }

  // Emits setThreads(int), threads() and blockRows() of DataParallel.
  static List<MethodSpec> threadMethods(EmitContext context) {
    MethodSpec setThreads =
        MethodSpec.methodBuilder("setThreads")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc(
                "The threads a training step uses (1 or more); the results are the same bits"
                    + " whatever the count.\n")
            .addParameter(int.class, "threads")
            .beginControlFlow("if (threads < 1)")
            .addStatement(
                "throw new $T($S + threads)",
                IllegalArgumentException.class,
                "threads must be at least 1, got ")
            .endControlFlow()
            .beginControlFlow("if (threads == threads())")
            .addStatement("return")
            .endControlFlow()
            .beginControlFlow("if (pool != null)")
            .addStatement("pool.close()")
            .addStatement("pool = null")
            .endControlFlow()
            .beginControlFlow("if (threads > 1)")
            .addStatement("pool = new $T(SPEC.name() + $S, threads)", WorkerPool.class, " step")
            .endControlFlow()
            .build();
    MethodSpec threads =
        MethodSpec.methodBuilder("threads")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(int.class)
            .addStatement("return pool == null ? 1 : pool.threads()")
            .build();
    MethodSpec blockRows =
        MethodSpec.methodBuilder("blockRows")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(int.class)
            .addStatement("return BLOCK_ROWS")
            .build();
    return List.of(setThreads, threads, blockRows);
  }
}
