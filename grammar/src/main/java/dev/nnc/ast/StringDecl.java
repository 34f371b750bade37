package dev.nnc.ast;

import dev.nnc.diag.Span;

/**
 * A string literal, {@code "data/train-images.gz"}: {@code value} is the text with its escapes
 * ({@code \"}, {@code \\}) resolved; the span covers the quotes.
 */
public record StringDecl(Span span, String value) {}
