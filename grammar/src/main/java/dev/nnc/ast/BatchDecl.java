package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.Optional;

/**
 * {@code batch full}, {@code batch 10}, {@code batch 10 shuffle}, {@code batch 200 with
 * replacement}.
 */
public record BatchDecl(Span span, Optional<NumberDecl> size, Order order)
    implements StatementDecl {

  /** How rows are drawn. */
  public enum Order {
    /** In order (and always for {@code batch full}). */
    SEQUENTIAL,
    SHUFFLE,
    WITH_REPLACEMENT
  }

  @Override
  public String keyword() {
    return "batch";
  }
}
