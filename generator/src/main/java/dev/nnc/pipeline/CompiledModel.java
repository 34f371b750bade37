package dev.nnc.pipeline;

import com.palantir.javapoet.JavaFile;
import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.diag.Diagnostic;
import dev.nnc.emit.ClassCache;
import dev.nnc.emit.CompiledClasses;
import dev.nnc.emit.InMemoryCompiler;
import dev.nnc.emit.NetworkGenerator;
import dev.nnc.ir.Model;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@code .nn} file taken through the whole pipeline in memory: parsed, checked, generated and
 * compiled, ready to instantiate. What the CLI and the sample tests use.
 */
public final class CompiledModel {
  /** The package generated classes get when compiled in memory. */
  public static final String IN_MEMORY_PACKAGE = "nnc.generated";

  private static volatile ClassCache cache;

  /** How many times this JVM ran the generator for {@link #of} (what a cache hit must not do). */
  static final AtomicInteger GENERATOR_RUNS = new AtomicInteger();

  private final Model model;
  private final boolean generatedHere;
  private volatile JavaFile javaFile;
  private final Constructor<? extends Network> constructor;

  private CompiledModel(
      Model model, boolean generatedHere, JavaFile javaFile, Class<? extends Network> type) {
    this.model = model;
    this.generatedHere = generatedHere;
    this.javaFile = javaFile;
    try {
      this.constructor = type.getConstructor(int.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("generated class lacks its (int maxRows) constructor", e);
    }
  }

  /**
   * Checks {@code file}; throws {@link UserInputException} with the formatted diagnostics. Warnings
   * of a file that checks are dropped: {@link #check(Path, Consumer)} hands them on.
   */
  public static Model check(Path file) {
    return check(file, warning -> {});
  }

  /**
   * Checks {@code file}; throws {@link UserInputException} with the formatted diagnostics, or hands
   * each warning, formatted with its line and caret, to {@code warnings} and returns the model.
   */
  public static Model check(Path file, Consumer<String> warnings) {
    CompileResult result = NnCompiler.compile(file);
    if (!result.ok()) {
      throw new UserInputException(result.formatDiagnostics());
    }
    for (Diagnostic diagnostic : result.diagnostics()) {
      warnings.accept(result.source().format(diagnostic));
    }
    return result.model().orElseThrow();
  }

  public static CompiledModel load(Path file) {
    return of(check(file));
  }

  /**
   * {@link #load(Path)}, handing the file's warnings to {@code warnings} as {@link #check} does.
   */
  public static CompiledModel load(Path file, Consumer<String> warnings) {
    return of(check(file, warnings));
  }

  /**
   * Makes {@link #of} and {@link #load} keep compiled classes in {@code cache} across runs, so a
   * network compiled once is not compiled again (the command line does this; null: compile every
   * time, the default).
   */
  public static void useCache(ClassCache cache) {
    CompiledModel.cache = cache;
  }

  /**
   * The model's class: generated and compiled, or, with a {@link #useCache cache}, read from the
   * cache without generating the source (the key is the model's {@link ModelDescription}).
   */
  public static CompiledModel of(Model model) {
    ClassCache classCache = cache;
    if (classCache == null) {
      JavaFile javaFile = generate(model);
      CompiledClasses classes = InMemoryCompiler.compile(javaFile);
      return new CompiledModel(
          model, true, javaFile, classes.loadClass(javaFile).asSubclass(Network.class));
    }
    JavaFile[] generated = new JavaFile[1];
    ClassCache.Loaded loaded =
        classCache.load(
            "package " + IN_MEMORY_PACKAGE + "\n" + ModelDescription.of(model),
            () -> generated[0] = generate(model));
    return new CompiledModel(
        model, true, generated[0], loaded.loadMainClass().asSubclass(Network.class));
  }

  private static JavaFile generate(Model model) {
    GENERATOR_RUNS.incrementAndGet();
    return new NetworkGenerator().generate(model, IN_MEMORY_PACKAGE);
  }

  /**
   * A model whose class was generated and compiled at build time (by the Maven plugin): {@code
   * type} must be the class generated from {@code model}; its {@link NetworkSpec} is checked
   * against the model's.
   */
  public static CompiledModel ofGenerated(Model model, Class<? extends Network> type) {
    CompiledModel compiled = new CompiledModel(model, false, null, type);
    NetworkSpec expected = compiled.spec();
    NetworkSpec actual = compiled.newNetwork(1).spec();
    if (!expected.tensors().equals(actual.tensors())
        || expected.inputWidth() != actual.inputWidth()
        || expected.outputWidth() != actual.outputWidth()) {
      throw new IllegalArgumentException(
          type.getName() + " was not generated from this " + model.name() + " (stale build?)");
    }
    return compiled;
  }

  public Model model() {
    return model;
  }

  public NetworkSpec spec() {
    return RuntimeViews.spec(model);
  }

  /**
   * The generated source (generated now when the class came from the cache); not available for
   * classes generated at build time.
   */
  public JavaFile javaFile() {
    if (!generatedHere) {
      throw new IllegalStateException(model.name() + " was generated at build time, not here");
    }
    JavaFile file = javaFile;
    if (file == null) {
      file = generate(model);
      javaFile = file;
    }
    return file;
  }

  /** A new instance of the generated class with buffers for {@code maxRows} rows. */
  public Network newNetwork(int maxRows) {
    try {
      return constructor.newInstance(maxRows);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate the generated " + model.name(), e);
    }
  }

  /** The reference interpreter of the same model: slow, obviously correct. */
  public Network newReference(int maxRows) {
    return new ReferenceNetwork(model, maxRows);
  }
}
