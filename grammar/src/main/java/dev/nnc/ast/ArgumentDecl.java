package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * A named argument, {@code lr = 0.1} or {@code decay = 0.95 per epoch} (the words after the value
 * are its qualifiers).
 */
public record ArgumentDecl(Span span, NameDecl name, NumberDecl value, List<NameDecl> qualifiers) {
  public ArgumentDecl {
    qualifiers = List.copyOf(qualifiers);
  }
}
