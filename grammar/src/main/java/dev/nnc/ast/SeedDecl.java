package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code seed 1}. */
public record SeedDecl(Span span, NumberDecl value) implements StatementDecl {
  @Override
  public String keyword() {
    return "seed";
  }
}
