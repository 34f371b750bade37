package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.palantir.javapoet.JavaFile;
import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.diag.Span;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Input;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Target;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.testing.Batches;
import dev.nnc.testing.ModelFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Names a user may legally write that could break naive generated code: names that fold together
 * under case and underscores, names of the generator's own fields, locals and methods, Java
 * keywords once decapitalised, networks named like runtime or java.lang types, and a file name that
 * tries to close a comment. All the networks are compiled into one package in one javac run, so a
 * network named {@code Math} sits beside networks that call {@code Math.exp}. Each must compile and
 * compute exactly what the reference computes.
 */
class HostileNamesTest {
  private static final List<Model> MODELS = new ArrayList<>();
  private static GeneratedNetworks compiled;

  @BeforeAll
  static void compileAll() {
    // layers whose names fold together: every derived name would collide without suffixes
    MODELS.add(
        ModelFixtures.network("Folding", 3)
            .dense("hidden_1", 4, Activation.TANH)
            .dense("Hidden1", 5, Activation.SIGMOID)
            .dense("HIDDEN_1", 17, Activation.RELU)
            .dense("hidden1", 3, Activation.IDENTITY)
            .loss(Loss.Kind.SQUARED_ERROR, Reduction.SUM)
            .penalty(0.1, false)
            .build());
    // layers named like the generator's own identifiers, and a and dA (d + A + W = dA + W)
    MODELS.add(
        ModelFixtures.network("Shadows", 2)
            .dense("r", 3, Activation.SIGMOID)
            .dense("xRow", 3, Activation.TANH)
            .dense("sum", 3, Activation.RELU)
            .dense("a", 2, Activation.SOFTMAX)
            .dense("dA", 3, Activation.SIGMOID)
            .dense("maxRows", 4, Activation.TANH)
            .dense("SPEC", 3, Activation.SIGMOID)
            .dense("INPUT", 3, Activation.IDENTITY)
            .dense("forward", 3, Activation.SIGMOID) // binary cross-entropy needs a sigmoid
            .onehotLoss(Loss.Kind.BINARY_CROSS_ENTROPY, Reduction.MEAN)
            .penalty(0.2, true)
            .build());
    // keywords once decapitalised, as input, target and layer names
    MODELS.add(
        renamed(
            ModelFixtures.network("Keywords", 3)
                .dense("If", 4, Activation.TANH)
                .dense("Class", 3, Activation.IDENTITY)
                .loss(Loss.Kind.SOFTMAX_CROSS_ENTROPY, Reduction.BATCH_MEAN)
                .build(),
            "Int",
            "batch"));
    // networks named like the types generated code uses; all of them in the same package
    for (String name :
        List.of(
            "Network",
            "Batch",
            "Dataset",
            "NetworkSpec",
            "TensorSpec",
            "InitSpec",
            "TrainConfig",
            "Math",
            "String",
            "System",
            "Arrays",
            "List",
            "Override",
            "Generated",
            "Double",
            "Object",
            "IllegalArgumentException")) {
      MODELS.add(
          ModelFixtures.network(name, 2)
              .dense("hidden", 3, Activation.SIGMOID)
              .dense("out", 2, Activation.IDENTITY)
              .loss(Loss.Kind.SOFTMAX_CROSS_ENTROPY, Reduction.MEAN)
              .penalty(0.01, false)
              .build());
    }
    // a file name that tries to end the header comment and smuggle a line break through \\u000a
    Model tiny =
        ModelFixtures.network("EvilFile", 2)
            .dense("out", 2, Activation.SIGMOID)
            .loss(Loss.Kind.SQUARED_ERROR, Reduction.HALF_SUM)
            .build();
    MODELS.add(
        new Model(
            tiny.name(),
            "evil */ name \\u000a class X {} /* \\\\u002a/.nn",
            tiny.precision(),
            tiny.input(),
            tiny.layers(),
            tiny.target(),
            tiny.loss(),
            tiny.penalty(),
            tiny.train(),
            tiny.span()));
    compiled = GeneratedNetworks.compile(MODELS);
  }

  /** The model with its input and target renamed. */
  private static Model renamed(Model model, String input, String target) {
    Input in = model.input();
    Target t = model.target();
    return new Model(
        model.name(),
        model.sourceFile(),
        model.precision(),
        new Input(
            input, in.rawWidth(), in.powers(), in.width(), in.standardizeDdof(), null, in.span()),
        model.layers(),
        new Target(target, t.kind(), t.width(), t.standardizeDdof(), Span.NONE),
        model.loss(),
        model.penalty(),
        model.train(),
        model.span());
  }

  static List<Model> models() {
    return MODELS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void compilesAndBehavesLikeTheReference(Model model) {
    Network generated = compiled.create(model, 5);
    Network reference = new ReferenceNetwork(model, 5);
    NetworkSpec spec = generated.spec();
    // the runtime still sees the user's names and file
    assertThat(spec.name()).isEqualTo(model.name());
    assertThat(spec.sourceFile()).isEqualTo(model.sourceFile());
    assertThat(spec.inputName()).isEqualTo(model.input().name());
    assertThat(spec.targetName()).isEqualTo(model.target().name());
    assertThat(spec.tensors().get(0).name()).isEqualTo(model.layers().get(0).name() + ".W");

    double[] parameters = Batches.normal(spec.parameterCount(), 0.8, 17);
    generated.setParameters(parameters);
    reference.setParameters(parameters);
    Batch batch = Batches.random(spec, 5, 23);
    double loss = generated.lossAndGradient(batch);
    double expected = reference.lossAndGradient(batch);
    assertThat(Tolerances.relative(loss, expected)).isAtMost(1e-10);
    double[] gradient = new double[spec.parameterCount()];
    double[] want = new double[spec.parameterCount()];
    generated.getGradient(gradient);
    reference.getGradient(want);
    Tolerances.Mismatch mismatch = Tolerances.worst("gradient", spec, gradient, want, 1e-6);
    assertWithMessage(mismatch.description()).that(mismatch.error()).isAtMost(1e-10);
  }

  @Test
  void collidingNamesGetDeterministicSuffixes() {
    String source = compiled.file(MODELS.get(0)).toString();
    assertThat(source).contains("private final double[][] hidden1W = ");
    assertThat(source).contains("private final double[][] hidden12W = ");
    assertThat(source).contains("private final double[][] hidden13W = ");
    assertThat(source).contains("private final double[][] hidden14W = ");
    assertThat(source).contains("public static final int HIDDEN12_IN = 4;");
    assertThat(source).contains("private void hidden13Forward(int from, int to)");
    // the same model generates the same text
    JavaFile again = new NetworkGenerator().generate(MODELS.get(0), GeneratedNetworks.PACKAGE);
    assertThat(again.toString()).isEqualTo(source);
  }

  @Test
  void userTextCannotCloseOrEscapeAComment() {
    String source = compiled.file(MODELS.get(MODELS.size() - 1)).toString();
    String header = source.substring(0, source.indexOf('\n'));
    assertThat(header).doesNotContain("*/");
    assertThat(header).contains("\\\\u000a"); // the escape is neutralised by a doubled backslash
    assertThat(source).doesNotContain("class X {}\n");
  }

  @Test
  void theCheckerLetsTheseNamesThrough() {
    // the checker's view of legal names includes the ones above (so they must be handled here)
    CompileResult result =
        NnCompiler.compile(
            "math.nn",
            """
            network Math {
                input   If[2]
                dense   hidden_1[3]  tanh
                dense   Hidden1[2]
                label   batch
                loss    softmax_cross_entropy(Hidden1, batch)
            }
            """);
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    Network network = GeneratedNetworks.compile(model).create(model, 3);
    Network reference = new ReferenceNetwork(model, 3);
    network.initialize(4);
    reference.initialize(4);
    Batch batch = Batches.random(network.spec(), 3, 1);
    assertThat(network.lossAndGradient(batch)).isWithin(1e-12).of(reference.lossAndGradient(batch));
  }
}
