package dev.nnc.ast;

import dev.nnc.diag.Span;

/** One argument of a data source: a path, a member mapping or a flag. */
public sealed interface SourceArgumentDecl {
  Span span();

  /** {@code "images.gz"}. */
  record PathDecl(Span span, StringDecl path) implements SourceArgumentDecl {}

  /** {@code x = "X"} in {@code npz(…)}: which member of the file holds {@code x}'s rows. */
  record MemberDecl(Span span, NameDecl name, StringDecl member) implements SourceArgumentDecl {}

  /** {@code header} in {@code csv(…)}. */
  record FlagDecl(Span span, NameDecl name) implements SourceArgumentDecl {}
}
