package dev.nnc.ast;

import dev.nnc.diag.Span;

/** A name or a word as written ({@code hidden}, {@code sigmoid}, {@code lr}). */
public record NameDecl(Span span, String text) {}
