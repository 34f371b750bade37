package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * {@code stop early(patience = 5, monitor = val_loss) restore best} or {@code schedule
 * cosine(min_lr = 0.001, warmup = 5)}: the first word is {@code kind} ({@code stop} or {@code
 * schedule}: another word makes an {@link UnknownStatementDecl}), the second {@code mode}; the
 * words after the parentheses are {@code after}.
 */
public record StopDecl(
    Span span, NameDecl kind, NameDecl mode, List<WordArgumentDecl> arguments, List<NameDecl> after)
    implements StatementDecl {
  public StopDecl {
    arguments = List.copyOf(arguments);
    after = List.copyOf(after);
  }

  @Override
  public String keyword() {
    return kind.text();
  }
}
