package dev.nnc.parser;

import dev.nnc.diag.Span;
import org.antlr.v4.runtime.Token;

/**
 * Turns token positions into {@link Span}s. ANTLR indexes code points; spans count UTF-16 chars
 * (what Java strings and most editors count), which differ only after a character outside the Basic
 * Multilingual Plane, so the translation table is built only when there is one.
 */
final class SourceColumns {
  /** utf16Offset[i] = UTF-16 offset of code point i, or null when the two always agree. */
  private final int[] utf16Offset;

  SourceColumns(String text) {
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints == text.length()) {
      utf16Offset = null;
    } else {
      utf16Offset = new int[codePoints + 1];
      int offset = 0;
      for (int i = 0; i < codePoints; i++) {
        utf16Offset[i] = offset;
        offset += Character.charCount(text.codePointAt(offset));
      }
      utf16Offset[codePoints] = offset;
    }
  }

  /** The span from the start of {@code first} to the end of {@code last}, on first's line. */
  Span span(Token first, Token last) {
    int start = first.getStartIndex();
    int lineStart = start - first.getCharPositionInLine();
    int end = Math.max(last.getStopIndex() + 1, start + 1);
    int column = utf16(start) - utf16(lineStart) + 1;
    return new Span(first.getLine(), column, Math.max(1, utf16(end) - utf16(start)));
  }

  /** A one-character span just after {@code token} (where something missing should have been). */
  Span after(Token token) {
    int end = token.getStopIndex() + 1;
    int lineStart = token.getStartIndex() - token.getCharPositionInLine();
    int line = token.getLine();
    // A token spanning lines has none here; tokens are single-line in this grammar.
    return new Span(line, utf16(end) - utf16(lineStart) + 1, 1);
  }

  private int utf16(int codePointIndex) {
    if (utf16Offset == null || codePointIndex < 0) {
      return codePointIndex;
    }
    return utf16Offset[Math.min(codePointIndex, utf16Offset.length - 1)];
  }
}
