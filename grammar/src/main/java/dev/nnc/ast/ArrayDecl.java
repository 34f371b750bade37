package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** A literal array, {@code [[0, 1], [1, 0]]} or {@code [0.5, 0.5]}. */
public record ArrayDecl(Span span, List<ArrayElementDecl> elements) implements ArrayElementDecl {
  public ArrayDecl {
    elements = List.copyOf(elements);
  }
}
