package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** A top-level block: {@code network NAME { … }} or {@code train { … }}. */
public sealed interface BlockDecl permits NetworkDecl, TrainDecl {
  Span span();

  List<StatementDecl> statements();
}
