package dev.nnc.onnx;

/**
 * Names from a file, made safe to print in a one-line message or a {@code .nn} comment: control
 * characters, line and paragraph separators and invisible format characters (bidi overrides) become
 * {@code \\uXXXX}, and a long name is cut to {@value #MAX_LENGTH} characters.
 */
final class Printable {
  static final int MAX_LENGTH = 120;

  private Printable() {}

  static String of(String text) {
    StringBuilder out = new StringBuilder();
    int count = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (count++ == MAX_LENGTH) {
        out.append('…');
        break;
      }
      int type = Character.getType(c);
      if (Character.isISOControl(c)
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.FORMAT
          || type == Character.SURROGATE
          || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE) {
        if (c > 0xFFFF) {
          out.append(String.format("\\U%08X", c));
        } else {
          out.append(String.format("\\u%04X", c));
        }
      } else {
        out.appendCodePoint(c);
      }
    }
    return out.toString();
  }
}
