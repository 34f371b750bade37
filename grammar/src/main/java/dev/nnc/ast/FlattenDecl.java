package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code flatten f}: (C, H, W) to C·H·W, row-major; implied before the first dense layer. */
public record FlattenDecl(Span span, NameDecl name) implements StatementDecl {
  @Override
  public String keyword() {
    return "flatten";
  }
}
