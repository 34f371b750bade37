package dev.nnc.ast;

import dev.nnc.diag.Span;

/**
 * What may follow {@code conv c[6]} or {@code maxpool p}: {@code kernel}, {@code stride}, {@code
 * pad} (each a number or a pair {@code (height, width)}), an activation, or a dense layer's option
 * ({@code nobias}, {@code init …}, {@code bias init …}). The checker says which a statement takes.
 */
public sealed interface ConvOptionDecl {
  Span span();

  /** The option as a user writes it, for messages. */
  String keyword();

  /** {@code kernel 5}, {@code stride (2, 1)}, {@code pad 1}: height and width (equal if square). */
  record PairDecl(Span span, String keyword, NumberDecl height, NumberDecl width)
      implements ConvOptionDecl {}

  /** An activation word: {@code relu}. */
  record ActivationDecl(Span span, NameDecl activation) implements ConvOptionDecl {
    @Override
    public String keyword() {
      return "activation";
    }
  }

  /** {@code nobias}, {@code init …}, {@code bias init …}. */
  record DenseDecl(Span span, DenseOptionDecl option) implements ConvOptionDecl {
    @Override
    public String keyword() {
      return option.keyword();
    }
  }
}
