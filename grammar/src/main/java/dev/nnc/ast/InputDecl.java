package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code input x[D = 784] powers(1, 2) standardize(ddof = 1)}. */
public record InputDecl(
    Span span, NameDecl name, DimensionDecl dimension, List<TransformDecl> transforms)
    implements StatementDecl {
  public InputDecl {
    transforms = List.copyOf(transforms);
  }

  @Override
  public String keyword() {
    return "input";
  }
}
