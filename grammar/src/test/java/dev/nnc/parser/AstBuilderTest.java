package dev.nnc.parser;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.ast.ArgumentDecl;
import dev.nnc.ast.ArrayDecl;
import dev.nnc.ast.BatchDecl;
import dev.nnc.ast.DataDecl;
import dev.nnc.ast.DataEntryDecl;
import dev.nnc.ast.DenseDecl;
import dev.nnc.ast.DenseOptionDecl;
import dev.nnc.ast.DimensionDecl;
import dev.nnc.ast.EpochsDecl;
import dev.nnc.ast.FileDecl;
import dev.nnc.ast.InitDecl;
import dev.nnc.ast.InputDecl;
import dev.nnc.ast.LabelDecl;
import dev.nnc.ast.LossDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NetworkDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.OptimizerDecl;
import dev.nnc.ast.PenaltyDecl;
import dev.nnc.ast.PowersDecl;
import dev.nnc.ast.StandardizeDecl;
import dev.nnc.ast.TargetDecl;
import dev.nnc.ast.TargetReferenceDecl;
import dev.nnc.ast.TrainDecl;
import dev.nnc.ast.UnknownStatementDecl;
import dev.nnc.diag.DiagnosticCollector;
import dev.nnc.diag.SourceText;
import dev.nnc.diag.Span;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parser builds the AST a person would write down for the text; spans are 1-based. */
class AstBuilderTest {
  private static final Span S = Span.NONE;

  private static FileDecl parse(String text) {
    DiagnosticCollector diagnostics = new DiagnosticCollector();
    Optional<FileDecl> file = NnParsing.parse(new SourceText("t.nn", text), diagnostics);
    assertThat(diagnostics.diagnostics()).isEmpty();
    return file.orElseThrow();
  }

  private static NameDecl name(String text) {
    return new NameDecl(S, text);
  }

  private static NumberDecl number(String text) {
    return new NumberDecl(S, text);
  }

  private static DimensionDecl size(String text) {
    return new DimensionDecl(S, Optional.empty(), Optional.of(number(text)));
  }

  @Test
  void orGateOnOneLine() {
    FileDecl file =
        parse(
            "network OrGate { input x[2]  dense out[1] sigmoid nobias init [[0.5488135],"
                + " [0.71518937]]  target t[1]  loss squared_error(out, t) reduce half_sum }"
                + " train { optimizer sgd(lr = 0.1)  batch full  epochs 50  data inline {"
                + " x = [[0,0],[0,1]]  t = [[0],[1]] } }");

    ArrayDecl weights =
        new ArrayDecl(
            S,
            List.of(
                new ArrayDecl(S, List.of(number("0.5488135"))),
                new ArrayDecl(S, List.of(number("0.71518937")))));
    FileDecl expected =
        new FileDecl(
            S,
            List.of(
                new NetworkDecl(
                    S,
                    name("OrGate"),
                    List.of(
                        new InputDecl(S, name("x"), size("2"), List.of()),
                        new DenseDecl(
                            S,
                            name("out"),
                            size("1"),
                            Optional.of(name("sigmoid")),
                            List.of(
                                new DenseOptionDecl.NoBiasDecl(S),
                                new DenseOptionDecl.WeightInitDecl(
                                    S, new InitDecl.InitValuesDecl(S, weights)))),
                        new TargetDecl(S, name("t"), size("1"), List.of()),
                        new LossDecl(
                            S,
                            name("squared_error"),
                            name("out"),
                            new TargetReferenceDecl(S, name("t"), false),
                            Optional.of(name("half_sum"))))),
                new TrainDecl(
                    S,
                    List.of(
                        new OptimizerDecl(
                            S,
                            name("sgd"),
                            List.of(new ArgumentDecl(S, name("lr"), number("0.1"), List.of()))),
                        new BatchDecl(S, Optional.empty(), BatchDecl.Order.SEQUENTIAL),
                        new EpochsDecl(S, number("50")),
                        new DataDecl(
                            S,
                            List.of(
                                new DataEntryDecl(
                                    S, name("x"), rows(rows("0", "0"), rows("0", "1"))),
                                new DataEntryDecl(S, name("t"), rows(rows("0"), rows("1")))))))));

    assertThat(file).isEqualTo(expected);
  }

  private static ArrayDecl rows(String... numbers) {
    return new ArrayDecl(
        S,
        List.of(numbers).stream()
            .map(AstBuilderTest::number)
            .map(n -> (dev.nnc.ast.ArrayElementDecl) n)
            .toList());
  }

  private static ArrayDecl rows(ArrayDecl... rows) {
    return new ArrayDecl(S, List.of(rows));
  }

  @Test
  void transformsNamedDimensionsPenaltiesAndLabels() {
    FileDecl file =
        parse(
            "network N {\n"
                + "  input x[D = 1] powers(1, 2) standardize(ddof = 1)\n"
                + "  dense h[D] relu bias init constant(-0.5)\n"
                + "  label y\n"
                + "  loss binary_cross_entropy(h, onehot(y))\n"
                + "  penalty l2(1) / 2m\n"
                + "}\n"
                + "train { optimizer sgd(lr = 1e-3, decay = 0.95 per epoch) batch 200 with"
                + " replacement }");

    NetworkDecl network = (NetworkDecl) file.blocks().get(0);
    assertThat(network.statements())
        .containsExactly(
            new InputDecl(
                S,
                name("x"),
                new DimensionDecl(S, Optional.of(name("D")), Optional.of(number("1"))),
                List.of(
                    new PowersDecl(S, List.of(number("1"), number("2"))),
                    new StandardizeDecl(
                        S, List.of(new ArgumentDecl(S, name("ddof"), number("1"), List.of()))))),
            new DenseDecl(
                S,
                name("h"),
                new DimensionDecl(S, Optional.of(name("D")), Optional.empty()),
                Optional.of(name("relu")),
                List.of(
                    new DenseOptionDecl.BiasInitDecl(
                        S,
                        new InitDecl.InitCallDecl(S, name("constant"), List.of(number("-0.5")))))),
            new LabelDecl(S, name("y")),
            new LossDecl(
                S,
                name("binary_cross_entropy"),
                name("h"),
                new TargetReferenceDecl(S, name("y"), true),
                Optional.empty()),
            new PenaltyDecl(S, name("l2"), number("1"), true))
        .inOrder();
    TrainDecl train = (TrainDecl) file.blocks().get(1);
    assertThat(train.statements())
        .containsExactly(
            new OptimizerDecl(
                S,
                name("sgd"),
                List.of(
                    new ArgumentDecl(S, name("lr"), number("1e-3"), List.of()),
                    new ArgumentDecl(
                        S, name("decay"), number("0.95"), List.of(name("per"), name("epoch"))))),
            new BatchDecl(S, Optional.of(number("200")), BatchDecl.Order.WITH_REPLACEMENT))
        .inOrder();
  }

  @Test
  void anUnknownStatementAfterALayerIsNotTakenForItsActivation() {
    FileDecl file = parse("network N { dense h[3] lstm c[3] dense o[1] relu pool 2 }");

    NetworkDecl network = (NetworkDecl) file.blocks().get(0);
    assertThat(network.statements())
        .containsExactly(
            new DenseDecl(S, name("h"), size("3"), Optional.empty(), List.of()),
            new UnknownStatementDecl(S, name("lstm")),
            new DenseDecl(S, name("o"), size("1"), Optional.of(name("relu")), List.of()),
            new UnknownStatementDecl(S, name("pool")))
        .inOrder();
  }

  @Test
  void spansAreOneBasedAndCountUtf16() {
    // '𝑥' is outside the BMP: one code point for ANTLR, two chars for Java and for the Span.
    FileDecl file = parse("// 𝑥\nnetwork N {\n\tinput x[2] // 𝑥𝑥\n  dense h[3] }");

    NetworkDecl network = (NetworkDecl) file.blocks().get(0);
    InputDecl input = (InputDecl) network.statements().get(0);
    assertThat(network.span().line()).isEqualTo(2);
    assertThat(network.span().column()).isEqualTo(1);
    assertThat(input.name().span()).isNotNull();
    assertThat(List.of(input.span().line(), input.span().column(), input.span().length()))
        .containsExactly(3, 2, 10)
        .inOrder();
    assertThat(
            List.of(
                input.name().span().line(),
                input.name().span().column(),
                input.name().span().length()))
        .containsExactly(3, 8, 1)
        .inOrder();
    DenseDecl dense = (DenseDecl) network.statements().get(1);
    assertThat(List.of(dense.name().span().line(), dense.name().span().column()))
        .containsExactly(4, 9)
        .inOrder();
  }

  @Test
  void spansAfterAnAstralCharacterCountItTwice() {
    FileDecl file = parse("network N { dense 𝑥h[3] }");

    DenseDecl dense = (DenseDecl) ((NetworkDecl) file.blocks().get(0)).statements().get(0);
    assertThat(dense.name().text()).isEqualTo("𝑥h");
    assertThat(List.of(dense.name().span().column(), dense.name().span().length()))
        .containsExactly(19, 3)
        .inOrder();
    assertThat(dense.dimension().span().column()).isEqualTo(23);
  }
}
