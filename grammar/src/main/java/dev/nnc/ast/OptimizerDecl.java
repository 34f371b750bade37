package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code optimizer sgd(lr = 1e-3, decay = 0.95 per epoch)}. */
public record OptimizerDecl(Span span, NameDecl kind, List<ArgumentDecl> arguments)
    implements StatementDecl {
  public OptimizerDecl {
    arguments = List.copyOf(arguments);
  }

  @Override
  public String keyword() {
    return "optimizer";
  }
}
