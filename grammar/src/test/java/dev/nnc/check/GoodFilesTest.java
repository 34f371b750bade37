package dev.nnc.check;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Span;
import dev.nnc.ir.Activation;
import dev.nnc.ir.DataSource;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Init;
import dev.nnc.ir.InlineData;
import dev.nnc.ir.Input;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Optimizer;
import dev.nnc.ir.Penalty;
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
        "xor.nn",
        "s3_ng_cg.nn",
        "s3_ng_lbfgs.nn",
        "s2_adam.nn",
        "s5_momentum.nn"
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
            Optional.of(new Penalty(5e-6, false, S)),
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
    assertThat(ng.penalty()).hasValue(new Penalty(1, true, S));
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

  @Test
  void ngWithConjugateGradientTrainsOnIdxFiles() throws IOException {
    Model ng = compileGood("s3_ng_cg.nn");

    // No learning rate or decay (1), the full batch (0), the iterations as epochs.
    assertThat(ng.train())
        .hasValue(
            new Train(
                1,
                1,
                0,
                false,
                false,
                50,
                0,
                0,
                Optional.empty(),
                S,
                new Optimizer.ConjugateGradient(),
                Optional.of(
                    new DataSource.Idx(
                        "mnist/train-images-idx3-ubyte.gz",
                        "mnist/train-labels-idx1-ubyte.gz",
                        1.0 / 255,
                        5000,
                        S)),
                Optional.of(
                    new DataSource.Idx(
                        "mnist/t10k-images-idx3-ubyte.gz",
                        "mnist/t10k-labels-idx1-ubyte.gz",
                        1.0 / 255,
                        0,
                        S))));
    DataSource.Idx source = (DataSource.Idx) ng.train().orElseThrow().source().orElseThrow();
    assertThat(source.span().line()).isEqualTo(12);
    assertThat(source.span().column()).isEqualTo(13);
  }

  @Test
  void ngWithLbfgsTakesTheDefaultMemory() throws IOException {
    Train train = compileGood("s3_ng_lbfgs.nn").train().orElseThrow();

    assertThat(train.optimizer()).isEqualTo(new Optimizer.Lbfgs(10));
    assertThat(train.learningRate()).isEqualTo(1);
    assertThat(train.decayPerEpoch()).isEqualTo(1);
    assertThat(train.batchSize()).isEqualTo(0);
    assertThat(train.epochs()).isEqualTo(100);
    assertThat(train.steps()).isEqualTo(0);
    assertThat(train.seed()).isEqualTo(7);
    assertThat(train.data()).isEmpty();
    assertThat(train.source())
        .hasValue(
            new DataSource.Idx(
                "/data/mnist/train-images.gz",
                "/data/mnist/train-labels.gz",
                0.00392156862745098,
                0,
                S));
    assertThat(train.validation()).isEmpty();
  }

  @Test
  void cs231nWithAdamReadsNpzMembersInEitherOrder() throws IOException {
    Train train = compileGood("s2_adam.nn").train().orElseThrow();

    assertThat(train)
        .isEqualTo(
            new Train(
                1e-3,
                0.95,
                200,
                false,
                true,
                0,
                1000,
                0,
                Optional.empty(),
                S,
                new Optimizer.Adam(0.85, 0.995, 1e-7),
                Optional.of(
                    new DataSource.Npz("cifar10 \"small\".npz", "X_train", "y_train", 49000, S)),
                Optional.of(new DataSource.Npz("cifar10_val.npz", "X_val", "y_val", 0, S))));
  }

  @Test
  void nielsenWithMomentumReadsCsvFiles() throws IOException {
    Train train = compileGood("s5_momentum.nn").train().orElseThrow();

    assertThat(train)
        .isEqualTo(
            new Train(
                3.0,
                1,
                10,
                true,
                false,
                30,
                0,
                1,
                Optional.empty(),
                S,
                new Optimizer.Momentum(0.9),
                Optional.of(new DataSource.Csv("digits\\train.csv", true, 0, S)),
                Optional.of(new DataSource.Csv("digits/test.csv", false, 1000, S))));
  }

  @Test
  void adamDefaultsAndPlainSgd() {
    String network =
        "network N { input x[4] dense out[2] label y loss softmax_cross_entropy(out, y) }";
    Train adam =
        compileText(network + " train { optimizer adam(lr = 0.01) epochs 2 }")
            .train()
            .orElseThrow();
    Train sgd =
        compileText(network + " train { optimizer sgd(lr = 0.01) epochs 2 }").train().orElseThrow();

    assertThat(adam.optimizer()).isEqualTo(new Optimizer.Adam(0.9, 0.999, 1e-8));
    assertThat(adam.learningRate()).isEqualTo(0.01);
    assertThat(sgd.optimizer()).isEqualTo(new Optimizer.Sgd());
  }

  @Test
  void lbfgsMemoryAndAZeroBeta() {
    String network =
        "network N { input x[4] dense out[2] label y loss softmax_cross_entropy(out, y) }";
    Train lbfgs =
        compileText(network + " train { optimizer lbfgs(memory = 3, iterations = 20) }")
            .train()
            .orElseThrow();
    Train adam =
        compileText(network + " train { optimizer adam(lr = 0.01, beta1 = 0) steps 5 }")
            .train()
            .orElseThrow();

    assertThat(lbfgs.optimizer()).isEqualTo(new Optimizer.Lbfgs(3));
    assertThat(lbfgs.epochs()).isEqualTo(20);
    assertThat(adam.optimizer()).isEqualTo(new Optimizer.Adam(0, 0.999, 1e-8));
  }

  @Test
  void inlineDataMayHaveAValidationFile() {
    String text =
        "network N { input x[2] dense out[1] sigmoid target t[1] loss squared_error(out, t) }"
            + " train { optimizer sgd(lr = 0.1) epochs 2 data inline { x = [[0, 1]] t = [[1]] }"
            + " validate csv(\"held out.csv\", header) }";
    Train train = compileText(text).train().orElseThrow();

    assertThat(train.data()).isPresent();
    assertThat(train.source()).isEmpty();
    assertThat(train.validation()).hasValue(new DataSource.Csv("held out.csv", true, 0, S));
  }

  @Test
  void idxWarnsOnlyWhenTheInputIsNotASquare() {
    String text =
        "network N { input x[10] dense out[3] label y loss softmax_cross_entropy(out, y) }"
            + " train { optimizer cg(iterations = 5) data idx(\"i\", \"l\") }";
    CompileResult result = NnCompiler.compile("n.nn", text);

    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    assertThat(result.diagnostics().stream().map(d -> d.code().code()).toList())
        .containsExactly("NN325");
    assertThat(result.model().orElseThrow().train().orElseThrow().source())
        .hasValue(new DataSource.Idx("i", "l", 1, 0, S));
  }

  @Test
  void stringsKeepUnicodeAndResolveEscapes() {
    String text =
        "network N { input x[4] dense out[2] label y loss softmax_cross_entropy(out, y) }"
            + " train { optimizer sgd(lr = 1) epochs 1"
            + " data npz(\"données/𝑥 \\\\ \\\"q\\\".npz\", x = \"X\", y = \"Y\") }";
    Train train = compileText(text).train().orElseThrow();

    assertThat(train.source())
        .hasValue(new DataSource.Npz("données/𝑥 \\ \"q\".npz", "X", "Y", 0, S));
  }

  private static Model compileText(String text) {
    CompileResult result = NnCompiler.compile("n.nn", text);
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return result.model().orElseThrow();
  }
}
