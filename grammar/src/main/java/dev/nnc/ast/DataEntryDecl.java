package dev.nnc.ast;

import dev.nnc.diag.Span;

/** {@code x = [[0, 0], [0, 1]]} inside {@code data inline}. */
public record DataEntryDecl(Span span, NameDecl name, ArrayDecl values) {}
