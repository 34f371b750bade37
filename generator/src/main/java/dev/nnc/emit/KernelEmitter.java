package dev.nnc.emit;

import com.palantir.javapoet.ClassName;

/**
 * The matrix kernels every looped layer is written with live in the runtime, not in the generated
 * class: {@code Kernels.INSTANCE.matmulRows / matmulColumns}, rows of a matrix product in the axpy
 * form {@code c[r][j] = fma(a[r][k], b[k][j], c[r][j])} (k ascending). The runtime chooses once per
 * JVM between plain Java loops (what generated classes had inline before, {@code axpy4} passes that
 * C2 vectorises) and Vector API ones on a JVM started with {@code --add-modules
 * jdk.incubator.vector}; both give bit-identical results, and the generated class compiles and runs
 * without the module. {@code INSTANCE} is {@code static final}, so C2 knows its one receiver and
 * calls the kernel directly. Tiny (unrolled) layers call no kernel at all.
 */
final class KernelEmitter {
  /** The runtime's kernels; {@code Kernels.INSTANCE} is plain Java or the Vector API. */
  static final ClassName KERNELS = ClassName.get("dev.nnc.runtime.kernels", "Kernels");

  private KernelEmitter() {}
}
