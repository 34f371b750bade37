package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.Optional;

/** {@code loss squared_error(out, onehot(y)) reduce half_batch_mean}. */
public record LossDecl(
    Span span,
    NameDecl kind,
    NameDecl output,
    TargetReferenceDecl target,
    Optional<NameDecl> reduction)
    implements StatementDecl {
  @Override
  public String keyword() {
    return "loss";
  }
}
