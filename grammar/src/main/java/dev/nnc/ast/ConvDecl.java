package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code conv c1[6] kernel 5 stride 1 pad 2 relu init he() nobias}. */
public record ConvDecl(
    Span span, NameDecl name, DimensionDecl filters, List<ConvOptionDecl> options)
    implements StatementDecl {
  public ConvDecl {
    options = List.copyOf(options);
  }

  @Override
  public String keyword() {
    return "conv";
  }
}
