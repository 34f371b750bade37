package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;
import java.util.Optional;

/** {@code dense hidden[30] sigmoid nobias init normal(0, 1) bias init constant(0)}. */
public record DenseDecl(
    Span span,
    NameDecl name,
    DimensionDecl dimension,
    Optional<NameDecl> activation,
    List<DenseOptionDecl> options)
    implements StatementDecl {
  public DenseDecl {
    options = List.copyOf(options);
  }

  @Override
  public String keyword() {
    return "dense";
  }
}
