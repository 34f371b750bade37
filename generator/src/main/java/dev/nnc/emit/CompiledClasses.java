package dev.nnc.emit;

import com.palantir.javapoet.JavaFile;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Classes compiled in memory by {@link InMemoryCompiler}: their class-file bytes, and a class
 * loader that defines them on demand (its parent sees the runtime, so a loaded network is a {@link
 * dev.nnc.runtime.Network} of the caller's runtime).
 */
public final class CompiledClasses {
  private final Map<String, byte[]> classFiles;
  private final ClassLoader classLoader;

  CompiledClasses(Map<String, byte[]> classFiles, ClassLoader parent) {
    this.classFiles = Collections.unmodifiableMap(new TreeMap<>(classFiles));
    this.classLoader = new BytesClassLoader(this.classFiles, parent);
  }

  /**
   * The class files by binary class name ({@code nnc.generated.Nielsen}); do not modify the arrays.
   */
  public Map<String, byte[]> classFiles() {
    return classFiles;
  }

  public ClassLoader classLoader() {
    return classLoader;
  }

  /** The class of binary name {@code name}, e.g. {@code nnc.generated.Nielsen}. */
  public Class<?> loadClass(String name) {
    try {
      return Class.forName(name, true, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no class " + name + " among " + classFiles.keySet(), e);
    }
  }

  /** The top-level class of {@code file}. */
  public Class<?> loadClass(JavaFile file) {
    String pkg = file.packageName();
    return loadClass(pkg.isEmpty() ? file.typeSpec().name() : pkg + "." + file.typeSpec().name());
  }

  /** Defines the compiled classes from their bytes; everything else comes from the parent. */
  private static final class BytesClassLoader extends ClassLoader {
    private final Map<String, byte[]> classFiles;

    BytesClassLoader(Map<String, byte[]> classFiles, ClassLoader parent) {
      super(parent);
      this.classFiles = classFiles;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classFiles.get(name);
      if (bytes == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
