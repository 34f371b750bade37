package dev.nnc.diag;

/**
 * A place in a source file: 1-based line and column (columns count UTF-16 chars, tabs as one), and
 * the length of the marked text (at least 1). Spans never take part in AST/IR equality.
 */
public record Span(int line, int column, int length) {
  public static final Span NONE = new Span(0, 0, 1);

  @Override
  public boolean equals(Object o) {
    return o instanceof Span; // spans are ignored when trees are compared
  }

  @Override
  public int hashCode() {
    return 0;
  }
}
