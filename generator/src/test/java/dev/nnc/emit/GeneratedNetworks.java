package dev.nnc.emit;

import com.palantir.javapoet.JavaFile;
import dev.nnc.ir.Model;
import dev.nnc.runtime.Network;
import dev.nnc.testing.NetworkFactory;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates and compiles models for tests. Compiling many models in one javac run is far faster
 * than one run each, so tests hand over all their models at once.
 */
final class GeneratedNetworks {
  static final String PACKAGE = "nnc.test.generated";

  private final Map<Model, Constructor<? extends Network>> constructors = new IdentityHashMap<>();
  private final Map<Model, JavaFile> files = new IdentityHashMap<>();
  private final CompiledClasses classes;

  private GeneratedNetworks(List<Model> models) {
    List<JavaFile> javaFiles = new ArrayList<>();
    NetworkGenerator generator = new NetworkGenerator();
    for (Model model : models) {
      JavaFile file = generator.generate(model, PACKAGE);
      files.put(model, file);
      javaFiles.add(file);
    }
    classes = InMemoryCompiler.compile(javaFiles);
    for (Model model : models) {
      try {
        constructors.put(
            model,
            classes
                .loadClass(files.get(model))
                .asSubclass(Network.class)
                .getConstructor(int.class));
      } catch (NoSuchMethodException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Generates and compiles every model (their names must differ). */
  static GeneratedNetworks compile(List<Model> models) {
    return new GeneratedNetworks(models);
  }

  static GeneratedNetworks compile(Model model) {
    return new GeneratedNetworks(List.of(model));
  }

  /** A new instance of the model's generated class, with buffers for {@code maxRows} rows. */
  Network create(Model model, int maxRows) {
    try {
      return constructors.get(model).newInstance(maxRows);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The generated classes as a factory, for the shared checks in dev.nnc.testing. */
  NetworkFactory factory() {
    return this::create;
  }

  JavaFile file(Model model) {
    return files.get(model);
  }

  CompiledClasses classes() {
    return classes;
  }
}
