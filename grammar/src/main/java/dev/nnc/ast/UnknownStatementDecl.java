package dev.nnc.ast;

import dev.nnc.diag.Span;

/** A statement that starts with a word nnc does not know ({@code conv c[3]}). */
public record UnknownStatementDecl(Span span, NameDecl kind) implements StatementDecl {
  @Override
  public String keyword() {
    return kind.text();
  }

  @Override
  public boolean belongsInNetwork() {
    return true;
  }
}
