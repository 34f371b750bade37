package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * {@code input x[D = 784] powers(1, 2) standardize(ddof = 1)}, or an image {@code input x[1, 28,
 * 28]}: {@code dimension} is then the channels and {@code spatial} the height and the width.
 */
public record InputDecl(
    Span span,
    NameDecl name,
    DimensionDecl dimension,
    List<TransformDecl> transforms,
    List<DimensionDecl> spatial)
    implements StatementDecl {
  public InputDecl {
    transforms = List.copyOf(transforms);
    spatial = List.copyOf(spatial);
  }

  /** A flat input: one dimension. */
  public InputDecl(
      Span span, NameDecl name, DimensionDecl dimension, List<TransformDecl> transforms) {
    this(span, name, dimension, transforms, List.of());
  }

  @Override
  public String keyword() {
    return "input";
  }
}
