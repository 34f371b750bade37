package dev.nnc.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A source file's name and text, and the one place that formats diagnostics against it:
 *
 * <pre>
 * model.nn:4:13: error: dense 'out' expects 30 inputs, got 25 [NN203]
 *     dense   out[10]  sigmoid
 *             ^~~
 * </pre>
 *
 * <p>Lines end at {@code \n} (a {@code \r} before it is dropped), as ANTLR counts them.
 */
public final class SourceText {
  private final String fileName;
  private final String text;
  private final List<String> lines;

  public SourceText(String fileName, String text) {
    this.fileName = Objects.requireNonNull(fileName, "fileName");
    this.text = Objects.requireNonNull(text, "text");
    this.lines = splitLines(text);
  }

  public String fileName() {
    return fileName;
  }

  public String text() {
    return text;
  }

  public int lineCount() {
    return lines.size();
  }

  /** The 1-based line, without its line break; "" past the end. */
  public String line(int lineNumber) {
    return lineNumber >= 1 && lineNumber <= lines.size() ? lines.get(lineNumber - 1) : "";
  }

  /**
   * {@code file:line:col: severity: message [code]}, then the source line and a caret line under
   * the span; just {@code file: severity: message [code]} for a diagnostic without a place.
   */
  public String format(Diagnostic diagnostic) {
    Span span = diagnostic.span();
    String tail =
        diagnostic.severity().label()
            + ": "
            + diagnostic.message()
            + " ["
            + diagnostic.code().code()
            + "]";
    if (span.line() < 1) {
      return fileName + ": " + tail;
    }
    String sourceLine = line(span.line());
    return fileName
        + ":"
        + span.line()
        + ":"
        + Math.max(1, span.column())
        + ": "
        + tail
        + "\n"
        + sourceLine
        + "\n"
        + caretLine(sourceLine, span);
  }

  /** Every diagnostic formatted, joined by newlines. */
  public String formatAll(List<Diagnostic> diagnostics) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic diagnostic : diagnostics) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(format(diagnostic));
    }
    return out.toString();
  }

  // Tabs in the source line are copied so the caret lands under the right character in any
  // terminal; the marker stops at the end of the line (a span never spills onto the next one).
  private static String caretLine(String sourceLine, Span span) {
    int start = Math.max(0, span.column() - 1);
    StringBuilder caret = new StringBuilder();
    for (int i = 0; i < start; i++) {
      caret.append(i < sourceLine.length() && sourceLine.charAt(i) == '\t' ? '\t' : ' ');
    }
    caret.append('^');
    int length = Math.max(1, Math.min(span.length(), sourceLine.length() - start));
    caret.append("~".repeat(length - 1));
    return caret.toString();
  }

  private static List<String> splitLines(String text) {
    List<String> result = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        result.add(stripCarriageReturn(text.substring(start)));
        return result;
      }
      result.add(stripCarriageReturn(text.substring(start, end)));
      start = end + 1;
    }
  }

  private static String stripCarriageReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
