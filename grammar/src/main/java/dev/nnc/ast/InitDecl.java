package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** An init: a call such as {@code normal(0, 1)} or literal values {@code [[0.5], [0.7]]}. */
public sealed interface InitDecl {
  Span span();

  /** {@code KIND(ARGUMENTS)}. */
  record InitCallDecl(Span span, NameDecl kind, List<NumberDecl> arguments) implements InitDecl {
    public InitCallDecl {
      arguments = List.copyOf(arguments);
    }
  }

  /** Literal values. */
  record InitValuesDecl(Span span, ArrayDecl values) implements InitDecl {}
}
