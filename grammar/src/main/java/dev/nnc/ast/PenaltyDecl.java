package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code penalty l2(5e-6)}, or {@code penalty l2(1) / 2m} ({@code overTwoM}). */
public record PenaltyDecl(Span span, NameDecl kind, NumberDecl coefficient, boolean overTwoM)
    implements StatementDecl {
  @Override
  public String keyword() {
    return "penalty";
  }
}
