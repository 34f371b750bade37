package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.Optional;

/**
 * {@code loss squared_error(out, onehot(y)) reduce half_batch_mean}, optionally followed by {@code
 * class_weights(1, 4, 2)}.
 *
 * @param option the word before the weights' parentheses ({@code class_weights}, or what the user
 *     wrote instead)
 */
public record LossDecl(
    Span span,
    NameDecl kind,
    NameDecl output,
    TargetReferenceDecl target,
    Optional<NameDecl> reduction,
    Optional<NameDecl> option,
    java.util.List<NumberDecl> weights)
    implements StatementDecl {
  public LossDecl {
    weights = java.util.List.copyOf(weights);
  }

  /** A loss statement without class weights. */
  public LossDecl(
      Span span,
      NameDecl kind,
      NameDecl output,
      TargetReferenceDecl target,
      Optional<NameDecl> reduction) {
    this(span, kind, output, target, reduction, Optional.empty(), java.util.List.of());
  }

  @Override
  public String keyword() {
    return "loss";
  }
}
