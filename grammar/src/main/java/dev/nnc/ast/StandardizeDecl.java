package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code standardize(ddof = 1)}. */
public record StandardizeDecl(Span span, List<ArgumentDecl> arguments) implements TransformDecl {
  public StandardizeDecl {
    arguments = List.copyOf(arguments);
  }
}
