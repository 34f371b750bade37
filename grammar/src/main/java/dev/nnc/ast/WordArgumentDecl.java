package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.Optional;

/** {@code patience = 5} (a number) or {@code monitor = val_loss} (a word). */
public record WordArgumentDecl(
    Span span, NameDecl name, Optional<NumberDecl> number, Optional<NameDecl> word) {}
