package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code maxpool p1 kernel 2 stride 2}, {@code avgpool p kernel (2, 3)}. */
public record PoolDecl(Span span, boolean max, NameDecl name, List<ConvOptionDecl> options)
    implements StatementDecl {
  public PoolDecl {
    options = List.copyOf(options);
  }

  @Override
  public String keyword() {
    return max ? "maxpool" : "avgpool";
  }
}
