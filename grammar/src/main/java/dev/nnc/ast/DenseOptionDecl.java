package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.Optional;

/**
 * What may follow a dense layer's activation: {@code nobias}, {@code init …}, {@code bias init …},
 * {@code dropout(…)}.
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

  /**
   * {@code dropout(0.5)}, {@code dropout(p = 0.5)} or {@code dropout(rate = 0.5)}: the share of the
   * layer's outputs zeroed in training.
   *
   * @param rateName the argument's name when written ({@code p}, {@code rate})
   */
  record DropoutDecl(Span span, Optional<NameDecl> rateName, NumberDecl rate)
      implements DenseOptionDecl {
    @Override
    public String keyword() {
      return "dropout";
    }
  }
}
