package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code target y[1] standardize(ddof = 1)}. */
public record TargetDecl(
    Span span, NameDecl name, DimensionDecl dimension, List<TransformDecl> transforms)
    implements StatementDecl {
  public TargetDecl {
    transforms = List.copyOf(transforms);
  }

  @Override
  public String keyword() {
    return "target";
  }
}
