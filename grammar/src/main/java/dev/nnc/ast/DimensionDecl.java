package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.Optional;

/**
 * The size in brackets: {@code 784} (size only), {@code D = 784} (both: names the dimension) or
 * {@code D} (name only: a dimension named earlier).
 */
public record DimensionDecl(Span span, Optional<NameDecl> name, Optional<NumberDecl> size) {}
