package dev.nnc.ast;

import dev.nnc.diag.Span;

/**
 * What may follow a dense layer's activation: {@code nobias}, {@code init …}, {@code bias init …}.
 */
public sealed interface DenseOptionDecl {
  Span span();

  /** The option as a user writes it, for messages. */
  String keyword();

  /** {@code nobias}. */
  record NoBiasDecl(Span span) implements DenseOptionDecl {
    @Override
    public String keyword() {
      return "nobias";
    }
  }

  /** {@code init INIT}: the weights' init. */
  record WeightInitDecl(Span span, InitDecl init) implements DenseOptionDecl {
    @Override
    public String keyword() {
      return "init";
    }
  }

  /** {@code bias init INIT}. */
  record BiasInitDecl(Span span, InitDecl init) implements DenseOptionDecl {
    @Override
    public String keyword() {
      return "bias init";
    }
  }
}
