package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code powers(1, 2)}. */
public record PowersDecl(Span span, List<NumberDecl> powers) implements TransformDecl {
  public PowersDecl {
    powers = List.copyOf(powers);
  }
}
