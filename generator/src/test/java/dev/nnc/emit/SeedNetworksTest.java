package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.ir.Dense;
import dev.nnc.ir.Model;
import dev.nnc.ir.Precision;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.testing.Batches;
import dev.nnc.testing.Seeds;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed networks (docs/seeds.md), generated from their {@code .nn} files: what the class says
 * about itself ({@code SPEC}, constants, train recipe, inline data) equals what {@link
 * RuntimeViews} says about the model; every method stays under HotSpot's 8,000-byte limit and every
 * class file far from the 64 KB one, in double and in float; and the networks agree with the
 * reference.
 */
class SeedNetworksTest {
  private static final List<Model> MODELS = new ArrayList<>();
  private static GeneratedNetworks compiled;

  @BeforeAll
  static void compileSeeds() {
    for (String seed : Seeds.ALL) {
      Model model = Seeds.model(seed);
      MODELS.add(model);
      MODELS.add(asFloat(model));
    }
    compiled = GeneratedNetworks.compile(MODELS);
  }

  /** The same network in float precision, under another name. */
  static Model asFloat(Model model) {
    return new Model(
        model.name() + "Float",
        model.sourceFile(),
        Precision.FLOAT,
        model.input(),
        model.layers(),
        model.target(),
        model.loss(),
        model.penalty(),
        model.train(),
        model.span());
  }

  static List<String> seeds() {
    return Seeds.ALL;
  }

  private static Model model(String seed) {
    return MODELS.get(2 * Seeds.ALL.indexOf(seed));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void specEqualsTheRuntimeView(String seed) throws Exception {
    Model model = model(seed);
    NetworkSpec expected = RuntimeViews.spec(model);
    Class<?> type = compiled.classes().loadClass(compiled.file(model));
    NetworkSpec actual = (NetworkSpec) type.getField("SPEC").get(null);
    // NetworkSpec holds an int[], so its record equality compares that array by identity
    assertThat(actual.name()).isEqualTo(expected.name());
    assertThat(actual.sourceFile()).isEqualTo(expected.sourceFile());
    assertThat(actual.precision()).isEqualTo(expected.precision());
    assertThat(actual.inputName()).isEqualTo(expected.inputName());
    assertThat(actual.rawInputWidth()).isEqualTo(expected.rawInputWidth());
    assertThat(Arrays.equals(actual.featurePowers(), expected.featurePowers())).isTrue();
    assertThat(actual.inputWidth()).isEqualTo(expected.inputWidth());
    assertThat(actual.inputStandardizeDdof()).isEqualTo(expected.inputStandardizeDdof());
    assertThat(actual.outputWidth()).isEqualTo(expected.outputWidth());
    assertThat(actual.targetName()).isEqualTo(expected.targetName());
    assertThat(actual.targetKind()).isEqualTo(expected.targetKind());
    assertThat(actual.targetWidth()).isEqualTo(expected.targetWidth());
    assertThat(actual.targetStandardizeDdof()).isEqualTo(expected.targetStandardizeDdof());
    assertThat(actual.tensors()).containsExactlyElementsIn(expected.tensors()).inOrder();
    assertThat(actual.parameterCount()).isEqualTo(expected.parameterCount());
    assertThat(compiled.create(model, 3).spec()).isSameInstanceAs(actual);
    // every tensor knows its .nn line, for error reports
    for (int t = 0; t < actual.tensors().size(); t++) {
      assertThat(actual.tensors().get(t).line()).isGreaterThan(0);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void constantsNameTheShapes(String seed) throws Exception {
    Model model = model(seed);
    Class<?> type = compiled.classes().loadClass(compiled.file(model));
    NetworkSpec spec = RuntimeViews.spec(model);
    assertThat(type.getField("INPUT").getInt(null)).isEqualTo(spec.inputWidth());
    assertThat(type.getField("OUTPUT").getInt(null)).isEqualTo(spec.outputWidth());
    assertThat(type.getField("PARAMETERS").getInt(null)).isEqualTo(spec.parameterCount());
    for (Dense layer : model.layers()) {
      String constant = JavaNames.upperSnake(JavaNames.lowerCamel(layer.name()));
      assertThat(type.getField(constant + "_IN").getInt(null)).isEqualTo(layer.in());
      assertThat(type.getField(constant + "_OUT").getInt(null)).isEqualTo(layer.out());
    }
    int batchSize = model.train().map(t -> t.batchSize()).orElse(0);
    Optional<Field> batch =
        Arrays.stream(type.getFields()).filter(f -> f.getName().equals("BATCH")).findAny();
    assertThat(batch.isPresent()).isEqualTo(batchSize > 0);
    int expectedDefaultRows =
        batchSize > 0
            ? batchSize
            : model
                .train()
                .flatMap(t -> t.data())
                .map(d -> d.rows())
                .orElse(NetworkGenerator.DEFAULT_MAX_ROWS);
    Network standard = (Network) type.getConstructor().newInstance();
    assertThat(standard.maxRows()).isEqualTo(expectedDefaultRows);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void trainConfigAndInlineDataEqualTheRuntimeViews(String seed) throws Exception {
    Model model = model(seed);
    Class<?> type = compiled.classes().loadClass(compiled.file(model));
    Optional<TrainConfig> expected = RuntimeViews.trainConfig(model);
    Optional<Method> trainConfig = method(type, "trainConfig");
    assertThat(trainConfig.isPresent()).isEqualTo(expected.isPresent());
    if (expected.isPresent()) {
      assertThat(trainConfig.get().invoke(null)).isEqualTo(expected.get());
    }
    Optional<Dataset> data = RuntimeViews.inlineData(model);
    Optional<Method> inlineData = method(type, "inlineData");
    assertThat(inlineData.isPresent()).isEqualTo(data.isPresent());
    if (data.isPresent()) {
      Dataset actual = (Dataset) inlineData.get().invoke(null);
      Dataset want = data.get();
      assertThat(actual.source()).isEqualTo(want.source());
      assertThat(actual.rows()).isEqualTo(want.rows());
      assertThat(actual.inputWidth()).isEqualTo(want.inputWidth());
      assertThat(actual.x()).isEqualTo(want.x());
      assertThat(actual.targetWidth()).isEqualTo(want.targetWidth());
      assertThat(actual.targets()).isEqualTo(want.targets());
      assertThat(actual.labels()).isEqualTo(want.labels());
    }
  }

  private static Optional<Method> method(Class<?> type, String name) {
    return Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).findAny();
  }

  @Test
  void everyMethodIsCompilableByHotSpotAndNoClassIsNearTheLimit() {
    List<String> report = new ArrayList<>();
    int largest = 0;
    for (Map.Entry<String, byte[]> file : compiled.classes().classFiles().entrySet()) {
      assertWithMessage("class file %s: %s bytes", file.getKey(), file.getValue().length)
          .that(file.getValue().length)
          .isLessThan(32 * 1024);
      for (BytecodeSizes.MethodSize method : BytecodeSizes.methods(file.getValue())) {
        largest = Math.max(largest, method.codeLength());
        report.add(file.getKey() + "." + method);
        assertWithMessage("%s.%s", file.getKey(), method)
            .that(method.codeLength())
            .isLessThan(BytecodeSizes.HUGE_METHOD_LIMIT);
      }
    }
    // the sizes networks of every seed shape were really measured (784-30-10, 3072-100-10, …)
    assertThat(compiled.classes().classFiles().keySet())
        .containsAtLeast(
            GeneratedNetworks.PACKAGE + ".Nielsen",
            GeneratedNetworks.PACKAGE + ".TwoLayerNet",
            GeneratedNetworks.PACKAGE + ".TutorialNet",
            GeneratedNetworks.PACKAGE + ".NielsenFloat",
            GeneratedNetworks.PACKAGE + ".OrPerceptron");
    assertThat(largest).isGreaterThan(100); // the parser read real code lengths
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void seedNetworksAgreeWithTheReference(String seed) {
    for (Model model : List.of(model(seed), MODELS.get(2 * Seeds.ALL.indexOf(seed) + 1))) {
      Network generated = compiled.create(model, 8);
      Network reference = new ReferenceNetwork(model, 8);
      NetworkSpec spec = generated.spec();
      generated.initialize(5);
      double[] parameters = new double[spec.parameterCount()];
      generated.getParameters(parameters); // float-rounded for the float twin
      reference.setParameters(parameters);
      Batch batch = Batches.random(spec, 8, 11);
      double tolerance = spec.precision() == NetworkSpec.Precision.FLOAT ? 1e-4 : 1e-10;
      double loss = generated.lossAndGradient(batch);
      double expected = reference.lossAndGradient(batch);
      assertWithMessage("%s loss %s vs %s", model.name(), loss, expected)
          .that(Tolerances.relative(loss, expected))
          .isAtMost(tolerance);
      double[] gradient = new double[spec.parameterCount()];
      double[] want = new double[spec.parameterCount()];
      generated.getGradient(gradient);
      reference.getGradient(want);
      Tolerances.Mismatch mismatch =
          Tolerances.worst(model.name() + " gradient", spec, gradient, want, 1e-2);
      assertWithMessage(mismatch.description()).that(mismatch.error()).isAtMost(tolerance);
    }
  }
}
