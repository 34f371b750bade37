package dev.nnc.diag;

import java.util.Objects;

/**
 * One message about a source file: its stable code, where it points ({@link Span#NONE} when it is
 * about the whole file) and the finished message text.
 */
public record Diagnostic(DiagnosticCode code, Span span, String message) {
  public Diagnostic {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(message, "message");
  }

  /** Builds the diagnostic from the code's message template. */
  public static Diagnostic of(DiagnosticCode code, Span span, Object... arguments) {
    return new Diagnostic(code, span, code.format(arguments));
  }

  public Severity severity() {
    return code.severity();
  }

  public boolean isError() {
    return code.severity() == Severity.ERROR;
  }
}
