package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code network NAME { statements }}. */
public record NetworkDecl(Span span, NameDecl name, List<StatementDecl> statements)
    implements BlockDecl {
  public NetworkDecl {
    statements = List.copyOf(statements);
  }
}
