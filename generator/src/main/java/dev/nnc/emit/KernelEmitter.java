package dev.nnc.emit;

import com.palantir.javapoet.MethodSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The two matrix kernels every looped layer is written with, emitted once into the generated class
 * (which depends on nothing but the runtime and the JDK).
 *
 * <p>Both are the axpy form {@code c[j] = fma(a, b[j], c[j])} on plain arrays with the loop running
 * along the rows: the only form of a matrix product that C2 vectorises (a dot product {@code sum
 * += x[i] * w[i]} is a floating-point reduction it must keep in order). {@code axpy4} updates one
 * output row from four input rows per pass, which quarters the loads and stores of {@code c}: the
 * best plain-Java kernel measured. They are small methods on purpose: C2 inlines them into the
 * layer loops, where the width {@code n} is a constant.
 */
final class KernelEmitter {
  static final String AXPY4 = "axpy4";
  static final String AXPY1 = "axpy1";

  private KernelEmitter() {}

  // Emits:
  //
  //   /** c[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j] for j < n: one row of c from four rows b. */
  //   private static void axpy4(double[] c, double a0, double[] b0, double a1, double[] b1,
  //       double a2, double[] b2, double a3, double[] b3, int n) {
  //     for (int j = 0; j < n; j++) {
  //       c[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
  //     }
  //   }
  //
  //   /** c[j] += a·b[j] for j < n. */
  //   private static void axpy1(double[] c, double a, double[] b, int n) { … }
  static List<MethodSpec> methods(Numeric numeric) {
    MethodSpec axpy4 =
        MethodSpec.methodBuilder(AXPY4)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
            .addJavadoc(
                "c[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j] for j < n: one row of c"
                    + " updated from four rows b,\nfused multiply-adds in that order (vectorised by"
                    + " C2 along j).\n")
            .addParameter(numeric.vector(), "c")
            .addParameter(numeric.scalar(), "a0")
            .addParameter(numeric.vector(), "b0")
            .addParameter(numeric.scalar(), "a1")
            .addParameter(numeric.vector(), "b1")
            .addParameter(numeric.scalar(), "a2")
            .addParameter(numeric.vector(), "b2")
            .addParameter(numeric.scalar(), "a3")
            .addParameter(numeric.vector(), "b3")
            .addParameter(int.class, "n")
            .beginControlFlow("for (int j = 0; j < n; j++)")
            .addStatement(
                "c[j] = $T.fma(a3, b3[j], $T.fma(a2, b2[j], $T.fma(a1, b1[j], $T.fma(a0, b0[j],"
                    + " c[j]))))",
                Math.class,
                Math.class,
                Math.class,
                Math.class)
            .endControlFlow()
            .build();
    MethodSpec axpy1 =
        MethodSpec.methodBuilder(AXPY1)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
            .addJavadoc("c[j] += a·b[j] for j < n (a fused multiply-add).\n")
            .addParameter(numeric.vector(), "c")
            .addParameter(numeric.scalar(), "a")
            .addParameter(numeric.vector(), "b")
            .addParameter(int.class, "n")
            .beginControlFlow("for (int j = 0; j < n; j++)")
            .addStatement("c[j] = $T.fma(a, b[j], c[j])", Math.class)
            .endControlFlow()
            .build();
    return List.of(axpy4, axpy1);
  }

  /**
   * How many of the {@code width}-wide rows of a matrix fit in 16 KB (half of a small L1 data
   * cache), as a multiple of 4, at least 4: the slice a blocked loop keeps in L1 while it reuses it.
   */
  static int rowsFittingL1(int width, Numeric numeric) {
    int bytes = numeric == Numeric.FLOAT ? 4 : 8;
    int rows = 16 * 1024 / Math.max(1, width * bytes);
    return Math.max(4, rows / 4 * 4);
  }
}
