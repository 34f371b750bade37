package dev.nnc.spark;

import com.palantir.javapoet.JavaFile;
import dev.nnc.emit.CompiledClasses;
import dev.nnc.emit.InMemoryCompiler;
import dev.nnc.emit.NetworkGenerator;
import dev.nnc.ir.Model;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.pipeline.Checkpointing;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TrainConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A checked {@code .nn} network ready for the cluster: its spec and recipe (on the driver) and the
 * {@link NetworkFactory} the executors build it with. Two ways to get the generated class there:
 *
 * <ul>
 *   <li>{@link #compile}: generated and compiled on the driver (it needs a JDK, not a JRE), its
 *       class files shipped inside every task, so {@code spark-submit nnc-spark.jar model.nn} needs
 *       no build step;
 *   <li>{@link #ofGenerated}: the class the nnc Maven plugin generated into the application jar,
 *       loaded by name on the executors (checked against the {@code .nn} file on the driver).
 * </ul>
 */
public final class SparkModel {
  private final Model model;
  private final NetworkSpec spec;
  private final NetworkFactory factory;

  private SparkModel(Model model, NetworkFactory factory) {
    model.layers().stream()
        .filter(dev.nnc.ir.Dense::dropsOut)
        .findFirst()
        .ifPresent(
            layer -> {
              throw new dev.nnc.pipeline.UserInputException(
                  model.sourceFile()
                      + ":"
                      + layer.span().line()
                      + ": dense '"
                      + layer.name()
                      + "' has dropout, which nnc does not run on Spark yet (the executors would"
                      + " need each step's masks); train it with nnc train, without --spark");
            });
    this.model = model;
    this.spec = RuntimeViews.spec(model);
    this.factory = factory;
  }

  /**
   * Checks and compiles {@code nnFile} on the driver.
   *
   * @throws dev.nnc.pipeline.UserInputException with the diagnostics when the file has errors
   */
  public static SparkModel compile(Path nnFile) {
    Model model = CompiledModel.check(nnFile);
    JavaFile javaFile = new NetworkGenerator().generate(model, CompiledModel.IN_MEMORY_PACKAGE);
    CompiledClasses classes = InMemoryCompiler.compile(javaFile);
    String name = javaFile.packageName() + "." + javaFile.typeSpec().name();
    return new SparkModel(model, NetworkFactory.ofClassFiles(name, classes.classFiles()));
  }

  /** The class generated from {@code nnFile} at build time, on every executor's class path. */
  public static SparkModel ofGenerated(Path nnFile, Class<? extends Network> type) {
    Model model = CompiledModel.check(nnFile);
    CompiledModel.ofGenerated(model, type); // refuses a class from another (or stale) .nn file
    return new SparkModel(model, NetworkFactory.onClassPath(type));
  }

  public String name() {
    return model.name();
  }

  public NetworkSpec spec() {
    return spec;
  }

  public NetworkFactory factory() {
    return factory;
  }

  /** The {@code train} block's recipe, if the file has one. */
  public Optional<TrainConfig> trainConfig() {
    return RuntimeViews.trainConfig(model);
  }

  /** What checkpoints record about the network beyond its shapes (as {@code nnc train}). */
  public String description() {
    return Checkpointing.describe(model);
  }

  public Model model() {
    return model;
  }
}
