/**
 * The abstract syntax tree of a {@code .nn} file: immutable records, each with its source {@link
 * dev.nnc.diag.Span} as first component (spans never take part in equality). Built only by {@link
 * dev.nnc.parser.AstBuilder}; read by the checker ({@code dev.nnc.check}), which turns it into the
 * IR. The tree keeps what the user wrote (names and numbers as text), so the checker can quote it
 * back in diagnostics.
 */
package dev.nnc.ast;
