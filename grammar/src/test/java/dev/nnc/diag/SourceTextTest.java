package dev.nnc.diag;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one diagnostic format: header, the source line verbatim, and a caret under the span. */
class SourceTextTest {
  private static final SourceText SOURCE =
      new SourceText(
          "model.nn",
          "network N {\r\n"
              + "    input   x[30]\n"
              + "\tdense\tout[10]  sigmoid\n"
              + "    dense   out[10]  sigmoid");

  @Test
  void formatsTheDesignExampleExactly() {
    Diagnostic diagnostic =
        new Diagnostic(
            DiagnosticCode.INIT_SHAPE_MISMATCH,
            new Span(4, 13, 3),
            "dense 'out' expects 30 inputs, got 25");

    assertThat(SOURCE.format(diagnostic))
        .isEqualTo(
            "model.nn:4:13: error: dense 'out' expects 30 inputs, got 25 [NN203]\n"
                + "    dense   out[10]  sigmoid\n"
                + "            ^~~");
  }

  @Test
  void copiesTabsSoTheCaretLinesUp() {
    Diagnostic diagnostic = Diagnostic.of(DiagnosticCode.UNKNOWN_DIMENSION, new Span(3, 8, 3), "X");

    assertThat(SOURCE.format(diagnostic))
        .isEqualTo(
            "model.nn:3:8: error: unknown dimension 'X' [NN210]\n"
                + "\tdense\tout[10]  sigmoid\n"
                + "\t     \t^~~");
  }

  @Test
  void dropsTheCarriageReturnOfWindowsLineEnds() {
    Diagnostic diagnostic = Diagnostic.of(DiagnosticCode.MISSING_INPUT, new Span(1, 9, 1), "N");

    assertThat(SOURCE.format(diagnostic))
        .isEqualTo(
            "model.nn:1:9: error: network 'N' has no input statement [NN215]\n"
                + "network N {\n"
                + "        ^");
  }

  @Test
  void clipsTheMarkerAtTheEndOfTheLine() {
    Diagnostic diagnostic = Diagnostic.of(DiagnosticCode.SECOND_LOSS, new Span(2, 13, 500));

    assertThat(SOURCE.format(diagnostic).lines().toList().get(2))
        .isEqualTo("            ^~~~~"); // x[30] is the rest of the line
  }

  @Test
  void aDiagnosticWithoutAPlaceIsOneLine() {
    Diagnostic diagnostic = Diagnostic.of(DiagnosticCode.NO_NETWORK, Span.NONE);

    assertThat(SOURCE.format(diagnostic))
        .isEqualTo("model.nn: error: the file has no network block [NN003]");
  }

  @Test
  void warningsSayWarningAndJoinWithNewlines() {
    Diagnostic warning = Diagnostic.of(DiagnosticCode.UNUSED_DIMENSION, new Span(2, 13, 1), "x");
    Diagnostic none = Diagnostic.of(DiagnosticCode.NO_NETWORK, Span.NONE);

    assertThat(SOURCE.formatAll(List.of(warning, none)))
        .isEqualTo(
            "model.nn:2:13: warning: dimension 'x' is never used [NN250]\n"
                + "    input   x[30]\n"
                + "            ^\n"
                + "model.nn: error: the file has no network block [NN003]");
  }

  @Test
  void codesAreUniqueAndWellFormed() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (DiagnosticCode code : DiagnosticCode.values()) {
      assertThat(code.code()).matches("NN[0-9]{3}");
      assertThat(seen.add(code.code())).isTrue();
    }
  }
}
