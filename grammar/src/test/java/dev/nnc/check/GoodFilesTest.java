package dev.nnc.check;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Span;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Init;
import dev.nnc.ir.InlineData;
import dev.nnc.ir.Input;
import dev.nnc.ir.L2Penalty;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Precision;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Target;
import dev.nnc.ir.Train;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed networks and XOR, written as .nn files, check cleanly and become the expected IR. */
class GoodFilesTest {
  private static final Span S = Span.NONE; // spans never take part in equality

  static String resource(String name) throws IOException {
    try (InputStream in = GoodFilesTest.class.getResourceAsStream("/good/" + name)) {
      assertWithMessage("resource %s", name).that(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Model compileGood(String name) throws IOException {
    CompileResult result = NnCompiler.compile(name, resource(name));
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return result.model().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s1_or_gate.nn",
        "s2_cs231n.nn",
        "s3_ng.nn",
        "s4_tutorial.nn",
        "s5_nielsen.nn",
        "s6_regression.nn",
        "xor.nn"
      })
  void checksWithoutErrors(String name) throws IOException {
    CompileResult result = NnCompiler.compile(name, resource(name));

    assertWithMessage(result.formatDiagnostics())
        .that(result.diagnostics().stream().filter(Diagnostic::isError).toList())
        .isEmpty();
    assertThat(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    assertThat(model.sourceFile()).isEqualTo(name);
    // The chain: every layer reads the one before it, and widths agree.
    assertThat(model.layers().get(0).in()).isEqualTo(model.input().width());
    for (int i = 1; i < model.layers().size(); i++) {
      assertThat(model.layers().get(i).inputName()).isEqualTo(model.layers().get(i - 1).name());
      assertThat(model.layers().get(i).in()).isEqualTo(model.layers().get(i - 1).out());
    }
  }

  @Test
  void orGateBecomesTheExpectedModel() throws IOException {
    Model expected =
        new Model(
            "OrGate",
            "s1_or_gate.nn",
            Precision.DOUBLE,
            new Input("x", 2, List.of(), 2, -1, null, S),
            List.of(
                new Dense(
                    "out",
                    "x",
                    2,
                    1,
                    false,
                    Activation.SIGMOID,
                    new Init.Values(List.of(0.5488135, 0.71518937)),
                    new Init.Constant(0),
                    S)),
            new Target("t", Target.Kind.DENSE, 1, -1, S),
            new Loss(Loss.Kind.SQUARED_ERROR, Reduction.HALF_SUM, false, S),
            Optional.empty(),
            Optional.of(
                new Train(
                    0.1,
                    1,
                    0,
                    false,
                    false,
                    50,
                    0,
                    0,
                    Optional.of(
                        new InlineData(
                            List.of(
                                List.of(0.0, 0.0),
                                List.of(0.0, 1.0),
                                List.of(1.0, 0.0),
                                List.of(1.0, 1.0)),
                            List.of(List.of(0.0), List.of(1.0), List.of(1.0), List.of(1.0)),
                            List.of(),
                            S)),
                    S)),
            S);

    assertThat(compileGood("s1_or_gate.nn")).isEqualTo(expected);
  }

  @Test
  void cs231nBecomesTheExpectedModel() throws IOException {
    Model expected =
        new Model(
            "TwoLayerNet",
            "s2_cs231n.nn",
            Precision.DOUBLE,
            new Input("x", 3072, List.of(), 3072, -1, null, S),
            List.of(
                new Dense(
                    "hidden",
                    "x",
                    3072,
                    100,
                    true,
                    Activation.RELU,
                    new Init.Normal(0, 1e-4),
                    new Init.Constant(0),
                    S),
                new Dense(
                    "scores",
                    "hidden",
                    100,
                    10,
                    true,
                    Activation.IDENTITY,
                    new Init.Normal(0, 1e-4),
                    new Init.Constant(0),
                    S)),
            new Target("y", Target.Kind.LABELS, 10, -1, S),
            new Loss(Loss.Kind.SOFTMAX_CROSS_ENTROPY, Reduction.BATCH_MEAN, false, S),
            Optional.of(new L2Penalty(5e-6, false, S)),
            Optional.of(new Train(1e-3, 0.95, 200, false, true, 0, 1000, 0, Optional.empty(), S)),
            S);

    assertThat(compileGood("s2_cs231n.nn")).isEqualTo(expected);
  }

  @Test
  void regressionBecomesTheExpectedModel() throws IOException {
    Model expected =
        new Model(
            "Regression",
            "s6_regression.nn",
            Precision.DOUBLE,
            new Input("x", 1, List.of(1, 2), 2, 1, null, S),
            List.of(
                new Dense(
                    "yhat",
                    "x",
                    2,
                    1,
                    true,
                    Activation.IDENTITY,
                    new Init.Constant(0.5),
                    new Init.Constant(0.5),
                    S)),
            new Target("y", Target.Kind.DENSE, 1, 1, S),
            new Loss(Loss.Kind.SQUARED_ERROR, Reduction.MEAN, false, S),
            Optional.empty(),
            Optional.of(
                new Train(
                    0.03,
                    1,
                    0,
                    false,
                    false,
                    30,
                    0,
                    0,
                    Optional.of(
                        new InlineData(
                            List.of(
                                List.of(1.0),
                                List.of(2.0),
                                List.of(3.0),
                                List.of(4.0),
                                List.of(5.0)),
                            List.of(
                                List.of(1.0),
                                List.of(4.0),
                                List.of(9.0),
                                List.of(16.0),
                                List.of(25.0)),
                            List.of(),
                            S)),
                    S)),
            S);

    assertThat(compileGood("s6_regression.nn")).isEqualTo(expected);
  }

  @Test
  void seedsKeepTheirExactRecipes() throws IOException {
    Model ng = compileGood("s3_ng.nn");
    assertThat(ng.loss())
        .isEqualTo(new Loss(Loss.Kind.BINARY_CROSS_ENTROPY, Reduction.BATCH_MEAN, true, S));
    assertThat(ng.penalty()).hasValue(new L2Penalty(1, true, S));
    assertThat(ng.layers().get(1).biasInit()).isEqualTo(new Init.Uniform(-0.12, 0.12));

    Model tutorial = compileGood("s4_tutorial.nn");
    assertThat(tutorial.loss().reduction()).isEqualTo(Reduction.SUM);
    assertThat(tutorial.layers().stream().map(Dense::bias).toList()).containsExactly(false, false);
    assertThat(tutorial.train().orElseThrow().learningRate()).isEqualTo(1e-6);
    assertThat(tutorial.train().orElseThrow().epochs()).isEqualTo(500);

    Model nielsen = compileGood("s5_nielsen.nn");
    assertThat(nielsen.loss())
        .isEqualTo(new Loss(Loss.Kind.SQUARED_ERROR, Reduction.HALF_BATCH_MEAN, true, S));
    assertThat(nielsen.input().dimensionName()).isEqualTo("D");
    assertThat(nielsen.train().orElseThrow().batchSize()).isEqualTo(10);
    assertThat(nielsen.train().orElseThrow().shuffle()).isTrue();
    assertThat(nielsen.train().orElseThrow().seed()).isEqualTo(1);

    Model xor = compileGood("xor.nn");
    assertThat(xor.layers().get(0).activation()).isEqualTo(Activation.TANH);
    assertThat(xor.layers().get(0).weightInit()).isEqualTo(new Init.Xavier());
  }

  @Test
  void layerSpansNameTheirLines() throws IOException {
    Model nielsen = compileGood("s5_nielsen.nn");
    assertThat(nielsen.layers().get(0).span().line()).isEqualTo(5);
    assertThat(nielsen.layers().get(1).span().line()).isEqualTo(6);
    assertThat(nielsen.layers().get(1).span().column()).isEqualTo(5);
  }

  @Test
  void keywordsDoNotStealCommonNames() {
    String text =
        """
        network Labels {
          input data[4]
          dense hidden[3] relu
          dense out[2]
          label label
          loss softmax_cross_entropy(out, label)
        }
        train { optimizer sgd(lr = 0.1) batch 2 epochs 1 data inline { data = [[1, 2, 3, 4]] label = [1] } }
        """;
    CompileResult result = NnCompiler.compile("labels.nn", text);

    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    assertThat(model.input().name()).isEqualTo("data");
    assertThat(model.target()).isEqualTo(new Target("label", Target.Kind.LABELS, 2, -1, S));
    assertThat(model.train().orElseThrow().data().orElseThrow().labels()).containsExactly(1);
  }

  @Test
  void onehotOfALabelCalledLabelAndNamedDimensions() {
    String text =
        "network N { input x[D = 3] dense target[H = 5] tanh dense out[C = 4] sigmoid"
            + " dense scores[C] sigmoid label y loss squared_error(scores, onehot(y)) }";
    CompileResult result = NnCompiler.compile("n.nn", text);

    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    assertThat(model.layers().stream().map(Dense::out).toList()).containsExactly(5, 4, 4).inOrder();
    assertThat(model.loss().onehot()).isTrue();
    // D and H are never referred to: two warnings, which do not stop the compiler.
    assertThat(result.diagnostics().stream().map(d -> d.code().code()).toList())
        .containsExactly("NN250", "NN250");
  }

  @Test
  void numbersInEveryForm() {
    String text =
        "network N { precision float input x[1] dense out[1] init uniform(-.5, 2.5E+0) bias init"
            + " [-1e-3] target t[1] loss squared_error(out, t) penalty l2(0.5) } train { optimizer"
            + " sgd(lr = 1E-2, decay = 1 per epoch) batch 1e1 epochs 3e0 seed 42 }";
    CompileResult result = NnCompiler.compile("n.nn", text);

    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    assertThat(model.precision()).isEqualTo(Precision.FLOAT);
    assertThat(model.layers().get(0).weightInit()).isEqualTo(new Init.Uniform(-0.5, 2.5));
    assertThat(model.layers().get(0).biasInit()).isEqualTo(new Init.Values(List.of(-1e-3)));
    assertThat(model.train().orElseThrow())
        .isEqualTo(new Train(0.01, 1, 10, false, false, 3, 0, 42, Optional.empty(), S));
  }
}
