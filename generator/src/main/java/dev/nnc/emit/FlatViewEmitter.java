package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The flat view: the generated class keeps every tensor as its own array of rows (plain indices
 * vectorise, offsets into one big array do not), and these methods map them to and from the one
 * flat vector the runtime's optimizers, checkpoints and gradient checks address, in the layout of
 * the spec. Also the fused SGD step and the zeroing of the gradients, which walk the same tensors.
 */
final class FlatViewEmitter {
  private final EmitContext context;

  FlatViewEmitter(EmitContext context) {
    this.context = context;
  }

  /**
   * One parameter tensor: its spec and its Java array (W as rows, or b), with its gradient; {@code
   * writtenBy}, the method that writes the gradient whole (a looped layer's {@code
   * <layer>Gradients}, with Kernels.matmulColumns) rather than adding to it, or null.
   */
  private record Tensor(
      TensorSpec spec,
      String array,
      String gradient,
      String rows,
      String cols,
      boolean matrix,
      String writtenBy,
      String panel) {}

  private List<Tensor> tensors() {
    List<Tensor> tensors = new ArrayList<>();
    for (int s = 0; s < context.spatialCount(); s++) {
      SpatialNames names = context.spatialNames(s);
      if (names.weights() == null) {
        continue; // pooling has no parameters
      }
      String layer = context.spatial(s).name();
      tensors.add(
          new Tensor(
              context.spec.tensor(layer + ".W"),
              names.weights(),
              names.weightGradient(),
              names.filtersConstant(),
              names.patchConstant(),
              true,
              names.gradients(),
              null));
      if (names.bias() != null) {
        tensors.add(
            new Tensor(
                context.spec.tensor(layer + ".b"),
                names.bias(),
                names.biasGradient(),
                null,
                names.filtersConstant(),
                false,
                names.gradients(),
                null));
      }
    }
    for (int l = 0; l < context.layerCount(); l++) {
      LayerNames names = context.names(l);
      String layer = context.layer(l).name();
      tensors.add(
          new Tensor(
              context.spec.tensor(layer + ".W"),
              names.weights(),
              names.weightGradient(),
              names.inConstant(),
              names.outConstant(),
              true,
              context.unrolled(l) ? null : names.gradients(),
              context.panel(l)));
      if (names.bias() != null) {
        tensors.add(
            new Tensor(
                context.spec.tensor(layer + ".b"),
                names.bias(),
                names.biasGradient(),
                null,
                names.outConstant(),
                false,
                null,
                null));
      }
    }
    return tensors;
  }

  List<MethodSpec> methods() {
    return List.of(
        copyOut(
            "getParameters",
            false,
            "Copies the parameters into {@code dst}, in the layout of {@link #SPEC}."),
        copyIn(),
        copyOut(
            "getGradient",
            true,
            "Copies the gradient of the last {@link #lossAndGradient} into {@code dst}."),
        sgdStep(),
        zeroGradients(),
        checkLength());
  }

  // Emits (double):
  //
  //   @Override
  //   public void getParameters(double[] dst) {
  //     checkLength(dst);
  //     // hidden.W (784×30) at 0
  //     for (int i = 0; i < HIDDEN_IN; i++) {
  //       System.arraycopy(hiddenW[i], 0, dst, i * HIDDEN_OUT, HIDDEN_OUT);
  //     }
  //     // hidden.b (30) at 23520
  //     System.arraycopy(hiddenB, 0, dst, 23520, HIDDEN_OUT);
  //     …
  //   }
  //
  // float copies element by element (double ← float widens exactly).
  private MethodSpec copyOut(String name, boolean gradient, String javadoc) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("checkLength(dst)");
    for (Tensor tensor : tensors()) {
      String array = gradient ? tensor.gradient() : tensor.array();
      code.add(
          "// $L ($L) at $L\n",
          EmitContext.text(tensor.spec().name()),
          tensor.spec().shapeText(),
          tensor.spec().offset());
      int offset = tensor.spec().offset();
      if (context.numeric == Numeric.DOUBLE) {
        if (tensor.matrix()) {
          code.beginControlFlow("for (int i = 0; i < $N; i++)", tensor.rows())
              .addStatement(
                  "$T.arraycopy($N[i], 0, dst, $L, $N)",
                  System.class,
                  array,
                  rowStart(offset, tensor.cols()),
                  tensor.cols())
              .endControlFlow();
        } else {
          code.addStatement(
              "$T.arraycopy($N, 0, dst, $L, $N)", System.class, array, offset, tensor.cols());
        }
      } else {
        forEachElement(code, tensor, array, "dst[$1L + j] = $2N[j]", false);
      }
    }
    return MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(javadoc + "\n")
        .addParameter(double[].class, "dst")
        .addCode(code.build())
        .build();
  }

  // Emits setParameters, the mirror image of getParameters (float: row[j] = (float) src[…]).
  private MethodSpec copyIn() {
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("checkLength(src)");
    for (Tensor tensor : tensors()) {
      code.add(
          "// $L ($L) at $L\n",
          EmitContext.text(tensor.spec().name()),
          tensor.spec().shapeText(),
          tensor.spec().offset());
      int offset = tensor.spec().offset();
      if (context.numeric == Numeric.DOUBLE) {
        if (tensor.matrix()) {
          code.beginControlFlow("for (int i = 0; i < $N; i++)", tensor.rows())
              .addStatement(
                  "$T.arraycopy(src, $L, $N[i], 0, $N)",
                  System.class,
                  rowStart(offset, tensor.cols()),
                  tensor.array(),
                  tensor.cols());
          packRow(code, tensor);
          code.endControlFlow();
        } else {
          code.addStatement(
              "$T.arraycopy(src, $L, $N, 0, $N)",
              System.class,
              offset,
              tensor.array(),
              tensor.cols());
        }
      } else {
        forEachElement(code, tensor, tensor.array(), "$2N[j] = (float) src[$1L + j]", true);
      }
    }
    return MethodSpec.methodBuilder("setParameters")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Replaces the parameters with {@code src}, in the layout of {@link #SPEC}.\n")
        .addParameter(double[].class, "src")
        .addCode(code.build())
        .build();
  }

  // Emits, for float tensors, the element loop of a copy ($1L is where the row starts in the flat
  // vector, $2N the row; with pack, the row's panel copy after it, see packRow):
  //
  //   for (int i = 0; i < 784; i++) {
  //     float[] row = hiddenW[i];
  //     int base = i * HIDDEN_OUT;
  //     for (int j = 0; j < HIDDEN_OUT; j++) {
  //       dst[base + j] = row[j];
  //     }
  //   }
  private void forEachElement(
      CodeBlock.Builder code, Tensor tensor, String array, String assignment, boolean pack) {
    Numeric numeric = context.numeric;
    int offset = tensor.spec().offset();
    if (tensor.matrix()) {
      code.beginControlFlow("for (int i = 0; i < $N; i++)", tensor.rows())
          .addStatement("$T row = $N[i]", numeric.vector(), array)
          .addStatement("int base = $L", rowStart(offset, tensor.cols()))
          .beginControlFlow("for (int j = 0; j < $N; j++)", tensor.cols())
          .addStatement(assignment, "base", "row")
          .endControlFlow();
      if (pack) {
        packRow(code, tensor);
      }
      code.endControlFlow();
    } else {
      code.beginControlFlow("for (int j = 0; j < $N; j++)", tensor.cols())
          .addStatement(assignment, offset, array)
          .endControlFlow();
    }
  }

  // Emits, inside a loop over the rows i of a looped layer's W that has just written row i:
  //
  //     // the panel's copy of the row (what the forward product reads)
  //     Kernels.INSTANCE.packRow(hiddenW, i, hiddenWP);
  //
  // setParameters and sgdStep are the only methods that write W, and each writes a row's panel
  // copy right after the row (in L1 then), so the panel cannot fall behind W.
  private static void packRow(CodeBlock.Builder code, Tensor tensor) {
    if (tensor.panel() != null) {
      code.add("// the panel's copy of the row (what the forward product reads)\n");
      code.addStatement(
          "$T.INSTANCE.packRow($N, i, $N)", KernelEmitter.KERNELS, tensor.array(), tensor.panel());
    }
  }

  /** {@code offset + i * COLS}, without the {@code 0 +}. */
  private static CodeBlock rowStart(int offset, String cols) {
    return offset == 0 ? CodeBlock.of("i * $N", cols) : CodeBlock.of("$L + i * $N", offset, cols);
  }

  // Emits:
  //
  //   @Override
  //   public void sgdStep(double learningRate) {
  //     for (int i = 0; i < HIDDEN_IN; i++) {
  //       double[] wRow = hiddenW[i];
  //       double[] dwRow = dHiddenW[i];
  //       for (int j = 0; j < HIDDEN_OUT; j++) {
  //         wRow[j] -= learningRate * dwRow[j];
  //       }
  //       // the panel's copy of the row (what the forward product reads)
  //       Kernels.INSTANCE.packRow(hiddenW, i, hiddenWP);
  //     }
  //     for (int j = 0; j < HIDDEN_OUT; j++) {
  //       hiddenB[j] -= learningRate * dHiddenB[j];
  //     }
  //     …
  //   }
  private MethodSpec sgdStep() {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    String rate = "learningRate";
    if (numeric == Numeric.FLOAT) {
      code.addStatement("float step = (float) learningRate");
      rate = "step";
    }
    for (Tensor tensor : tensors()) {
      if (tensor.matrix()) {
        code.beginControlFlow("for (int i = 0; i < $N; i++)", tensor.rows())
            .addStatement("$T wRow = $N[i]", numeric.vector(), tensor.array())
            .addStatement("$T dwRow = $N[i]", numeric.vector(), tensor.gradient())
            .beginControlFlow("for (int j = 0; j < $N; j++)", tensor.cols())
            .addStatement("wRow[j] -= $L * dwRow[j]", rate)
            .endControlFlow();
        packRow(code, tensor);
        code.endControlFlow();
      } else {
        code.beginControlFlow("for (int j = 0; j < $N; j++)", tensor.cols())
            .addStatement("$N[j] -= $L * $N[j]", tensor.array(), rate, tensor.gradient())
            .endControlFlow();
      }
    }
    return MethodSpec.methodBuilder("sgdStep")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(
            "p −= learningRate · ∂loss/∂p for every parameter, in place, tensor by tensor.\n")
        .addParameter(double.class, "learningRate")
        .addCode(code.build())
        .build();
  }

  // Emits:
  //
  //   private void zeroGradients() {
  //     // hidden.W: written whole by hiddenGradients
  //     Arrays.fill(dHiddenB, 0.0);
  //     for (double[] row : dTinyW) {     // an unrolled layer's W, which its backward adds to
  //       Arrays.fill(row, 0.0);
  //     }
  //     …
  //   }
  private MethodSpec zeroGradients() {
    Numeric numeric = context.numeric;
    CodeBlock.Builder code = CodeBlock.builder();
    for (Tensor tensor : tensors()) {
      if (tensor.writtenBy() != null) {
        boolean kernel = !context.spec.tensor(tensor.spec().layer() + ".W").kernel().isEmpty();
        code.add(
            "// $L: written whole by $L ($L)\n",
            EmitContext.text(tensor.spec().name()),
            tensor.writtenBy(),
            kernel ? "filter by filter" : "Kernels.matmulColumns");
      } else if (tensor.matrix()) {
        code.beginControlFlow("for ($T row : $N)", numeric.vector(), tensor.gradient())
            .addStatement("$T.fill(row, $L)", Arrays.class, numeric.literal(0))
            .endControlFlow();
      } else {
        code.addStatement("$T.fill($N, $L)", Arrays.class, tensor.gradient(), numeric.literal(0));
      }
    }
    return MethodSpec.methodBuilder("zeroGradients")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc(
            "Zeroes the gradients that the backward pass adds to, once per batch (the weights of a"
                + " looped layer\nare written whole).\n")
        .addCode(code.build())
        .build();
  }

  // Emits:
  //
  //   private static void checkLength(double[] flat) {
  //     if (flat.length != PARAMETERS) {
  //       throw new IllegalArgumentException(
  //           "expected " + PARAMETERS + " parameters, got " + flat.length);
  //     }
  //   }
  private MethodSpec checkLength() {
    return MethodSpec.methodBuilder("checkLength")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(double[].class, "flat")
        .beginControlFlow("if (flat.length != PARAMETERS)")
        .addStatement(
            "throw new $T($S + PARAMETERS + $S + flat.length)",
            IllegalArgumentException.class,
            context.model.name() + " has ",
            " parameters, got an array of ")
        .endControlFlow()
        .build();
  }
}
