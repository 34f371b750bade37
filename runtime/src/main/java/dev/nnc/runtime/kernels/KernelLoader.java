package dev.nnc.runtime.kernels;

/**
 * Chooses the {@link Kernels} of this JVM once, as Apache Lucene chooses its vector code: the
 * Vector API kernels only if the module {@code jdk.incubator.vector} is in the boot layer (the JVM
 * was started with {@code --add-modules jdk.incubator.vector}) and {@code -Dnnc.vector=false} was
 * not given. Their class is loaded reflectively, so without the module it is never loaded and the
 * runtime needs nothing beyond the JDK's base modules.
 */
final class KernelLoader {
  /** The system property that forces the plain-Java kernels when {@code false}. */
  static final String PROPERTY = "nnc.vector";

  static final String VECTOR_CLASS = "dev.nnc.runtime.kernels.VectorKernels";

  private KernelLoader() {}

  static Kernels load() {
    if (!vectorAllowed()) {
      return new JavaKernels();
    }
    try {
      return (Kernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      // the class is missing or unusable here (e.g. too narrow a vector unit): plain Java it is
      return new JavaKernels();
    }
  }

  static boolean vectorAllowed() {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim())) {
      return false;
    }
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }
}
