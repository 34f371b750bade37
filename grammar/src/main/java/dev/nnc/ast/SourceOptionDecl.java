package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.Optional;

/** What follows a data source's parentheses: {@code scale 1/255}, {@code rows 5000}. */
public sealed interface SourceOptionDecl {
  Span span();

  /** The option's word, for messages. */
  String keyword();

  /** {@code scale 0.5} or {@code scale 1/255}. */
  record ScaleDecl(Span span, NumberDecl numerator, Optional<NumberDecl> denominator)
      implements SourceOptionDecl {
    @Override
    public String keyword() {
      return "scale";
    }
  }

  /** {@code rows 5000}: at most the first 5000 rows. */
  record RowsDecl(Span span, NumberDecl count) implements SourceOptionDecl {
    @Override
    public String keyword() {
      return "rows";
    }
  }
}
