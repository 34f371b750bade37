package dev.nnc.ast;

import dev.nnc.diag.Span;

/** A column transform after an input or target: {@code powers(…)} or {@code standardize(…)}. */
public sealed interface TransformDecl permits PowersDecl, StandardizeDecl {
  Span span();
}
