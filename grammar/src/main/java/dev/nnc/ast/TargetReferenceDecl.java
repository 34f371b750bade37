package dev.nnc.ast;

import dev.nnc.diag.Span;

/** The loss's second argument: {@code t} or {@code onehot(y)}. */
public record TargetReferenceDecl(Span span, NameDecl name, boolean onehot) {}
