package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code validate split(0.2)}: hold out a seeded share of the training rows. */
public record ValidateSplitDecl(Span span, NameDecl kind, NumberDecl fraction)
    implements StatementDecl {
  @Override
  public String keyword() {
    return "validate";
  }
}
