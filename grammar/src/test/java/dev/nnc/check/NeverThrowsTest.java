package dev.nnc.check;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded random damage to the good files: whatever the input, {@link NnCompiler#compile} returns
 * either a model or at least one positioned error, and never an internal error (NN900).
 */
class NeverThrowsTest {
  private static final List<String> GOOD_FILES =
      List.of(
          "s1_or_gate.nn",
          "s2_cs231n.nn",
          "s3_ng.nn",
          "s4_tutorial.nn",
          "s5_nielsen.nn",
          "s6_regression.nn",
          "xor.nn",
          "s3_ng_cg.nn",
          "s2_adam.nn",
          "s5_momentum.nn");
  private static final Pattern TOKEN =
      Pattern.compile(
          "//[^\\n"
              + "]*|\"(?:\\\\.|[^\"\\\\\\n"
              + "])*\"|[A-Za-z_][A-Za-z0-9_]*|[0-9.]+(?:[eE][-+]?[0-9]+)?|\\S");
  private static final List<String> TOKEN_POOL =
      List.of(
          "network",
          "train",
          "input",
          "dense",
          "target",
          "label",
          "loss",
          "penalty",
          "optimizer",
          "batch",
          "epochs",
          "steps",
          "seed",
          "data",
          "inline",
          "init",
          "bias",
          "nobias",
          "onehot",
          "powers",
          "standardize",
          "reduce",
          "full",
          "shuffle",
          "with",
          "replacement",
          "precision",
          "relu",
          "sigmoid",
          "softmax",
          "xavier",
          "he",
          "sgd",
          "{",
          "}",
          "[",
          "]",
          "(",
          ")",
          ",",
          "=",
          "-",
          "/",
          "2m",
          "0",
          "1",
          "-1",
          "2.5",
          "1e-3",
          "1e309",
          "99999999999999999999",
          "1.2.3",
          "1e",
          ".5",
          "class",
          "_x",
          "hé",
          "𝑥",
          "\uD800",
          "#",
          ";",
          "\t",
          "\n",
          "\u0000",
          "\uFEFF",
          "ddof",
          "per",
          "epoch",
          "lr",
          "decay",
          "validate",
          "scale",
          "rows",
          "idx",
          "npz",
          "csv",
          "header",
          "adam",
          "cg",
          "lbfgs",
          "momentum",
          "iterations",
          "memory",
          "beta1",
          "\"",
          "\"\"",
          "\"a.gz\"",
          "\"a\\\\b\"",
          "\"\\q\"",
          "\"\t\"");

  @Test
  void everyMutationGivesAModelOrAPositionedError() throws IOException {
    Random random = new Random(20260101);
    List<String> sources = new ArrayList<>();
    for (String name : GOOD_FILES) {
      sources.add(GoodFilesTest.resource(name));
    }
    int okCount = 0;
    java.util.Set<DiagnosticCode> codesSeen = java.util.EnumSet.noneOf(DiagnosticCode.class);
    for (int iteration = 0; iteration < 700; iteration++) {
      String original = sources.get(random.nextInt(sources.size()));
      String mutated = mutate(original, random);
      CompileResult result = NnCompiler.compile("fuzz.nn", mutated);
      String formatted = result.formatDiagnostics(); // must not throw either
      String context = "iteration " + iteration + ", input:\n" + mutated + "\n" + formatted;
      for (Diagnostic diagnostic : result.diagnostics()) {
        assertWithMessage(context)
            .that(diagnostic.code())
            .isNotEqualTo(DiagnosticCode.INTERNAL_ERROR);
      }
      result.diagnostics().forEach(d -> codesSeen.add(d.code()));
      if (result.ok()) {
        okCount++;
        assertWithMessage(context).that(result.model()).isPresent();
      } else {
        assertWithMessage(context)
            .that(
                result.diagnostics().stream()
                    .anyMatch(d -> d.isError() && d.span().line() >= 1 && d.span().column() >= 1))
            .isTrue();
      }
    }
    // The damage must reach past the parser into the checker, and some must be harmless.
    System.out.printf("fuzz: %d of 700 still compile; codes seen: %s%n", okCount, codesSeen);
    assertWithMessage("inputs that still compile").that(okCount).isAtLeast(20);
    assertWithMessage("distinct codes reported: %s", codesSeen)
        .that(codesSeen.size())
        .isAtLeast(15);
  }

  private static String mutate(String source, Random random) {
    List<String> tokens = tokens(source);
    int mutations = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
    for (int m = 0; m < mutations; m++) {
      int at = random.nextInt(tokens.size());
      switch (random.nextInt(11)) {
        case 9 ->
            tokens.add(at, List.of("// note\n", "\n\t", "\r\n", "\uFEFF").get(random.nextInt(4)));
        case 10 -> {
          if (tokens.get(at).matches("[0-9]+")) {
            tokens.set(at, String.valueOf(1 + random.nextInt(9)));
          }
        }
        case 0 -> tokens.remove(at);
        case 1 -> tokens.add(at, TOKEN_POOL.get(random.nextInt(TOKEN_POOL.size())));
        case 2 -> {
          int other = random.nextInt(tokens.size());
          String swapped = tokens.get(at);
          tokens.set(at, tokens.get(other));
          tokens.set(other, swapped);
        }
        case 3 -> {
          int end = Math.min(tokens.size(), at + 1 + random.nextInt(8));
          tokens.addAll(end, new ArrayList<>(tokens.subList(at, end)));
        }
        case 4 -> tokens.set(at, randomCharacters(random));
        case 5 ->
            tokens.set(
                at,
                random.nextBoolean()
                    ? "1e" + (300 + random.nextInt(9000))
                    : "4".repeat(1 + random.nextInt(40)));
        case 6 -> {
          int depth = random.nextInt(5000);
          String open = random.nextBoolean() ? "[" : "(";
          tokens.add(at, open.repeat(depth) + "1" + (open.equals("[") ? "]" : ")").repeat(depth));
        }
        case 7 -> tokens.set(at, "n".repeat(1 + random.nextInt(20000)));
        default ->
            tokens.set(at, List.of("é", "Ω", "名前", "𝑥", "hé", "\u0301a").get(random.nextInt(6)));
      }
      if (tokens.isEmpty()) {
        tokens.add("");
      }
    }
    return String.join(" ", tokens);
  }

  private static String randomCharacters(Random random) {
    StringBuilder text = new StringBuilder();
    int length = 1 + random.nextInt(6);
    for (int i = 0; i < length; i++) {
      text.append((char) random.nextInt(random.nextBoolean() ? 128 : 0x10000));
    }
    return text.toString();
  }

  private static List<String> tokens(String source) {
    List<String> tokens = new ArrayList<>();
    Matcher matcher = TOKEN.matcher(source);
    while (matcher.find()) {
      String token = matcher.group();
      tokens.add(token.startsWith("//") ? token + "\n" : token);
    }
    return tokens;
  }
}
