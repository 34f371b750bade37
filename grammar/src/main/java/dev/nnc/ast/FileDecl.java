package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** A whole {@code .nn} file: its network and train blocks in source order. */
public record FileDecl(Span span, List<BlockDecl> blocks) {
  public FileDecl {
    blocks = List.copyOf(blocks);
  }
}
