package dev.nnc.ast;

import dev.nnc.diag.Span;

/** An element of a literal array: a number or a nested array. */
public sealed interface ArrayElementDecl permits NumberDecl, ArrayDecl {
  Span span();
}
