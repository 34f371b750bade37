package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.emit.ClassCache;
import dev.nnc.ir.Model;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CompiledModel#of} with the class cache: a hit does not run the generator, gives the same
 * class as a fresh compile and the same source on demand; a changed {@code .nn} file misses; every
 * sample has a description, the same on every check.
 */
class CompiledModelCacheTest {
  private static final Path XOR = Path.of("../samples/xor/xor.nn");

  @TempDir Path folder;

  @AfterEach
  void noCache() {
    CompiledModel.useCache(null);
  }

  /** The loss and the gradient of random rows at fixed parameters: what the class computes. */
  private static List<Double> lossAndGradient(CompiledModel compiled) {
    Network network = compiled.newNetwork(4);
    double[] parameters = new double[network.spec().parameterCount()];
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] = Math.sin(i + 1.0);
    }
    network.setParameters(parameters);
    List<Double> values = new ArrayList<>();
    values.add(network.lossAndGradient(Batch.random(network.spec(), 4, 7)));
    double[] gradient = new double[parameters.length];
    network.getGradient(gradient);
    for (double g : gradient) {
      values.add(g);
    }
    return values;
  }

  @Test
  void aHitDoesNotGenerateAndGivesTheSameClass() throws Exception {
    Model model = CompiledModel.check(XOR);
    CompiledModel fresh = CompiledModel.of(model); // no cache: generated and compiled
    CompiledModel.useCache(new ClassCache(folder.resolve("cache")));
    int before = CompiledModel.GENERATOR_RUNS.get();
    CompiledModel miss = CompiledModel.of(model);
    assertThat(CompiledModel.GENERATOR_RUNS.get()).isEqualTo(before + 1);
    CompiledModel hit = CompiledModel.of(CompiledModel.check(XOR)); // checked again, as a new run
    assertThat(CompiledModel.GENERATOR_RUNS.get()).isEqualTo(before + 1);

    assertThat(lossAndGradient(hit)).isEqualTo(lossAndGradient(fresh));
    assertThat(lossAndGradient(miss)).isEqualTo(lossAndGradient(fresh));
    assertThat(hit.spec().tensors()).isEqualTo(fresh.spec().tensors());
    // the source, asked for, is generated then
    assertThat(hit.javaFile().toString()).isEqualTo(fresh.javaFile().toString());
    assertThat(CompiledModel.GENERATOR_RUNS.get()).isEqualTo(before + 2);
  }

  @Test
  void aChangedNetworkFileMisses() throws Exception {
    CompiledModel.useCache(new ClassCache(folder.resolve("cache")));
    Path copy = folder.resolve("xor.nn");
    String text = Files.readString(XOR);
    Files.writeString(copy, text);
    CompiledModel.of(CompiledModel.check(copy));
    int before = CompiledModel.GENERATOR_RUNS.get();
    Files.writeString(copy, text.replace("hidden[4]", "hidden[5]"));
    CompiledModel wider = CompiledModel.of(CompiledModel.check(copy));
    assertThat(CompiledModel.GENERATOR_RUNS.get()).isEqualTo(before + 1);
    assertThat(wider.spec().parameterCount()).isEqualTo(21);
    Files.writeString(copy, text.replace("tanh", "relu"));
    CompiledModel relu = CompiledModel.of(CompiledModel.check(copy));
    assertThat(CompiledModel.GENERATOR_RUNS.get()).isEqualTo(before + 2);
    assertThat(relu.javaFile().toString()).contains("Math.max");
  }

  @Test
  void everySampleHasADescriptionTheSameOnEveryCheck() throws IOException {
    List<Path> samples = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("../samples"))) {
      files
          .filter(p -> p.toString().endsWith(".nn") && !p.toString().contains("target"))
          .forEach(samples::add);
    }
    assertThat(samples.size()).isAtLeast(10);
    List<String> descriptions = new ArrayList<>();
    for (Path sample : samples) {
      String description = ModelDescription.of(CompiledModel.check(sample));
      assertThat(ModelDescription.of(CompiledModel.check(sample))).isEqualTo(description);
      descriptions.add(description);
    }
    assertThat(descriptions.stream().distinct().count()).isEqualTo(descriptions.size());
  }

  @Test
  void aDescriptionTellsValuesAndStringsApart() throws IOException {
    String description = ModelDescription.of(CompiledModel.check(XOR));
    assertThat(description).contains("name=\"3:Xor\"");
    assertThat(description).contains("dev.nnc.ir.Activation.TANH");
    Path copy = folder.resolve("xor.nn");
    String text = Files.readString(XOR);
    Files.writeString(copy, text.replace("lr = 0.5", "lr = 0.50"));
    String same = ModelDescription.of(CompiledModel.check(copy));
    // the same double written another way (and as long: spans are part of the model)
    Files.writeString(copy, text.replace("lr = 0.5", "lr = 5e-1"));
    assertThat(ModelDescription.of(CompiledModel.check(copy))).isEqualTo(same);
    Files.writeString(copy, text.replace("lr = 0.5", "lr = 0.51"));
    assertThat(ModelDescription.of(CompiledModel.check(copy))).isNotEqualTo(same);
  }
}
