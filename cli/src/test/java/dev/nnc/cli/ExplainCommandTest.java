package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static dev.nnc.cli.MainTest.nnc;

import dev.nnc.cli.MainTest.Run;
import dev.nnc.pipeline.CompiledModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nnc explain}: the equations, in the documented order, agreeing with the generated code.
 */
class ExplainCommandTest {
  @TempDir Path temp;

  /** The cs231n toy (oracle S2toy): relu, softmax cross-entropy, an L2 penalty. */
  static final String TOY =
      """
      network TwoLayerToy {
          input   x[4]
          dense   hidden[10]  relu  init normal(0, 0.1)
          dense   scores[3]         init normal(0, 0.1)
          label   y
          loss    softmax_cross_entropy(scores, y) reduce batch_mean
          penalty l2(0.05)
      }
      train {
          optimizer sgd(lr = 0.1)
          batch     full
          steps     3
      }
      """;

  @Test
  void xorShowsEveryFactorWithItsShapeLossFirstThenLastLayerFirst() {
    Run run = nnc("explain", "../samples/xor/xor.nn");
    assertThat(run.code()).isEqualTo(0);
    String out = run.out();
    assertThat(out).contains("z_hidden (N×4) = x (N×2) · W_hidden (2×4) + b_hidden (4)");
    assertThat(out).contains("δ_out (N×1) = (out − t) · scale");
    assertThat(out).contains("dW_out (4×1) += hiddenᵀ (4×N) · δ_out (N×1)");
    assertThat(out).contains("dhidden (N×4) = δ_out (N×1) · W_outᵀ (1×4)");
    assertThat(out)
        .contains("δ_hidden (N×4) = dhidden ⊙ (1 − hidden²)   (tanh′(z) = 1 − tanh²(z))");
    assertThat(out).contains("dW_hidden (2×4) += xᵀ (2×N) · δ_hidden (N×4)");
    assertThat(out).contains("why the transposes:");
    String backward = out.substring(out.indexOf("backward:"));
    assertThat(backward.indexOf("loss (line 7)")).isLessThan(backward.indexOf("out (line 5)"));
    assertThat(backward.indexOf("out (line 5)")).isLessThan(backward.indexOf("hidden (line 4)"));
  }

  @Test
  void penaltyTermsComeAfterTheLayers() throws IOException {
    Path file = temp.resolve("toy.nn");
    Files.writeString(file, TOY, StandardCharsets.UTF_8);
    Run run = nnc("explain", file.toString());
    assertThat(run.code()).isEqualTo(0);
    String backward = run.out().substring(run.out().indexOf("backward:"));
    assertThat(backward).contains("dscores (N×3) = (softmax(scores) − onehot(y)) · scale");
    assertThat(backward).contains("δ_hidden (N×10) = dhidden ⊙ [z_hidden > 0]");
    assertThat(backward)
        .contains("penalty (line 7)  dW_hidden (4×10) += 2 · 0.05 · W_hidden (4×10)");
    assertThat(backward.indexOf("penalty (line 7)"))
        .isGreaterThan(backward.indexOf("hidden (line 3)"));
    assertThat(run.out()).contains("+ 0.05 · (ΣW_hidden² + ΣW_scores²)");
  }

  @Test
  void dropoutShowsItsMaskForwardAndBackwardAndInTheCheckSummary() throws IOException {
    Path file = temp.resolve("drop.nn");
    Files.writeString(
        file,
        "network Drop {\n  input x[4]\n  dense hidden[8] tanh dropout(0.5)\n  dense out[3]\n"
            + "  label y\n  loss softmax_cross_entropy(out, y)\n}\n",
        StandardCharsets.UTF_8);
    Run run = nnc("explain", file.toString());
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .contains(
            "in training the next layer reads hidden ⊙ m_hidden: each m 0 (probability 0.5) or"
                + " 1/(1 − 0.5), drawn per step (dropout; nothing at inference)");
    String backward = run.out().substring(run.out().indexOf("backward:"));
    assertThat(backward).contains("hidden (line 3)  dhidden (N×8) ⊙= m_hidden   (dropout");
    // the mask comes before the activation's derivative
    assertThat(backward.indexOf("⊙= m_hidden")).isLessThan(backward.indexOf("δ_hidden (N×8)"));
    Run check = nnc("check", file.toString());
    assertThat(check.code()).isEqualTo(0);
    assertThat(check.out()).contains("dropout: hidden 0.5 (in training only)\n");
  }

  @Test
  void badModelIsTheCompilersDiagnostic() throws IOException {
    Path file = temp.resolve("bad.nn");
    Files.writeString(
        file, "network Bad {\n  input x[2]\n  dense out[1] sigmod\n}\n", StandardCharsets.UTF_8);
    Run run = nnc("explain", file.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("bad.nn:1:9: error: network 'Bad' has no loss statement [NN219]");
  }

  /**
   * Every backward equation the generated class states in its comments (δ, dW, db, dx, with their
   * shapes) is in the explanation, and no other: the two cannot drift apart.
   */
  @ParameterizedTest
  @ValueSource(strings = {"../samples/xor/xor.nn", "../samples/nielsen/nielsen.nn", "TOY"})
  void sameEquationsAsTheGeneratedComments(String model) throws IOException {
    Path file = Path.of(model);
    if (model.equals("TOY")) {
      file = temp.resolve("toy.nn");
      Files.writeString(file, TOY, StandardCharsets.UTF_8);
    }
    String source = CompiledModel.load(file).javaFile().toString();
    List<String> generated = new ArrayList<>();
    Matcher pre = Pattern.compile("<pre>\\n(.*?)</pre>", Pattern.DOTALL).matcher(source);
    while (pre.find()) {
      for (String line : pre.group(1).split("\\n")) {
        String text = line.replaceFirst("^\\s*\\*\\s?", "");
        if (text.matches("(δ|dW|db|dx) .*")) {
          generated.add(text.split(" ")[0] + shapes(text));
        }
      }
    }
    Run run = nnc("explain", file.toString());
    String out = run.out();
    String layers = out.substring(out.indexOf("backward:"), out.indexOf("why the transposes"));
    List<String> explained = new ArrayList<>();
    for (String line : layers.split("\\n")) {
      String text = line.replaceFirst("^\\s+(\\S+ \\(line \\d+\\))?\\s*", "");
      if (line.contains("penalty (line") || text.startsWith("dW_") && text.contains("· W_")) {
        continue; // the penalty's terms: the generated class adds them in its own method
      }
      Matcher kind = Pattern.compile("^(δ_|dW_|db_|d)\\w+ \\(").matcher(text);
      if (kind.find() && !line.contains("loss (line") && !text.startsWith("scale")) {
        String symbol =
            switch (kind.group(1)) {
              case "δ_" -> "δ";
              case "dW_" -> "dW";
              case "db_" -> "db";
              default -> "dx";
            };
        explained.add(symbol + shapes(text));
      }
    }
    assertThat(generated).isNotEmpty();
    assertThat(explained).containsExactlyElementsIn(generated);
  }

  private static String shapes(String text) {
    StringBuilder found = new StringBuilder();
    Matcher shape = Pattern.compile("\\((N×\\d+|\\d+×N|\\d+×\\d+|\\d+)\\)").matcher(text);
    while (shape.find()) {
      found.append(' ').append(shape.group());
    }
    return found.toString();
  }
}
