package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * A data file, {@code idx("images.gz", "labels.gz") scale 1/255 rows 5000}: the kind as written,
 * its arguments and the options after it. The grammar accepts any kind and any mix of arguments;
 * the checker says what each kind takes.
 */
public record DataSourceDecl(
    Span span, NameDecl kind, List<SourceArgumentDecl> arguments, List<SourceOptionDecl> options) {
  public DataSourceDecl {
    arguments = List.copyOf(arguments);
    options = List.copyOf(options);
  }
}
