package dev.nnc.runtime.data;

/**
 * A data file that cannot be read as asked: wrong magic, truncated data, an unsupported dtype, a
 * missing member, a CSV field that is not a number. The message always names the file (and the
 * member, inside an archive) and says what is wrong, e.g. {@code S1_init.npz: member 'W': expected
 * dtype <f8, found |O}; where nnc has one, it ends with the diagnostic's code ({@code [NN801]},
 * docs/diagnostics.md) and, for a text file, is followed by the offending line with a caret under
 * the field.
 */
public class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String excerpt;

  public DataFormatException(String message) {
    this(message, null, null);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
    this.code = null;
    this.excerpt = null;
  }

  /**
   * @param code the diagnostic's code ({@code NN801}), or null
   * @param excerpt the offending line and a caret line under it, or null
   */
  public DataFormatException(String message, String code, String excerpt) {
    super(message);
    this.code = code;
    this.excerpt = excerpt;
  }

  /** The diagnostic's code, or null for one without. */
  public String code() {
    return code;
  }

  /** The message, its code in brackets, and the offending line with its caret (when known). */
  @Override
  public String getMessage() {
    return super.getMessage()
        + (code == null ? "" : " [" + code + "]")
        + (excerpt == null ? "" : "\n" + excerpt);
  }

  /**
   * {@code line} indented by two spaces with a caret line under {@code length} characters from
   * {@code column} (0-based); a long line is cut to a window around them, marked with …. No
   * trailing newline.
   */
  public static String excerpt(String line, int column, int length) {
    String text = line.replace('\t', ' ');
    int width = Math.max(1, length);
    int from = 0;
    int to = text.length();
    final int window = 60;
    String prefix = "";
    String suffix = "";
    if (to > 2 * window + width) {
      from = Math.max(0, column - window);
      to = Math.min(text.length(), column + width + window);
      prefix = from > 0 ? "…" : "";
      suffix = to < text.length() ? "…" : "";
    }
    String shown = prefix + text.substring(from, to) + suffix;
    int caret = prefix.length() + column - from;
    return "  "
        + shown
        + "\n  "
        + " ".repeat(Math.max(0, caret))
        + "^"
        + "~".repeat(Math.max(0, Math.min(width, to - column) - 1));
  }
}
