package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code train { statements }}. */
public record TrainDecl(Span span, List<StatementDecl> statements) implements BlockDecl {
  public TrainDecl {
    statements = List.copyOf(statements);
  }
}
