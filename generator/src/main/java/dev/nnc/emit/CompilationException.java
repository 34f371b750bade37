package dev.nnc.emit;

/**
 * javac rejected generated (or hand-altered) source. The message holds every diagnostic as {@code
 * Name.java:LINE: error: message} followed by the offending source line, so a bug in an emitter
 * points at the line of generated code.
 */
public final class CompilationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String diagnostics;

  public CompilationException(String diagnostics) {
    super("generated source does not compile:\n" + diagnostics);
    this.diagnostics = diagnostics;
  }

  /** The diagnostics alone, one per paragraph. */
  public String diagnostics() {
    return diagnostics;
  }
}
