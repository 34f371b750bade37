package dev.nnc.fuzz;

import java.util.ArrayList;
import java.util.List;

/** A small lexer for generated Java: enough to tell code from comments and literals. */
final class JavaText {
  private JavaText() {}

  /** javac's first step: {@code \\uXXXX} escapes after an even number of backslashes. */
  static String translateUnicodeEscapes(String source) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '\\') {
        int run = 0;
        while (i + run < source.length() && source.charAt(i + run) == '\\') {
          run++;
        }
        // in a run of backslashes, pairs are literal; an odd last one may start an escape
        out.append("\\".repeat(run - (run % 2)));
        i += run - (run % 2);
        if (run % 2 == 1) {
          int j = i + 1;
          while (j < source.length() && source.charAt(j) == 'u') {
            j++;
          }
          if (j > i + 1
              && j + 4 <= source.length()
              && source.substring(j, j + 4).matches("[0-9a-fA-F]{4}")) {
            out.append((char) Integer.parseInt(source.substring(j, j + 4), 16));
            i = j + 4;
          } else {
            out.append('\\');
            i++;
          }
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The source with comments, string and char literals (text blocks too) blanked out. */
  static String codeOnly(String source) {
    StringBuilder code = new StringBuilder();
    lex(source, code, new ArrayList<>());
    return code.toString();
  }

  /** The values of the string literals (escapes decoded). */
  static List<String> stringLiterals(String source) {
    List<String> literals = new ArrayList<>();
    lex(source, new StringBuilder(), literals);
    return literals;
  }

  private static void lex(String s, StringBuilder code, List<String> literals) {
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("//", i)) {
        int end = lineEnd(s, i);
        i = end;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
          throw new AssertionError("unclosed comment at " + i);
        }
        i = end + 2;
        code.append(' ');
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        i = end + 3;
        code.append("\"\"");
      } else if (c == '"' || c == '\'') {
        StringBuilder value = new StringBuilder();
        int j = i + 1;
        while (s.charAt(j) != c) {
          char d = s.charAt(j);
          if (d == '\n' || d == '\r') {
            throw new AssertionError("line break inside a literal at " + j);
          }
          if (d == '\\') {
            char e = s.charAt(j + 1);
            switch (e) {
              case 'n' -> value.append('\n');
              case 't' -> value.append('\t');
              case 'r' -> value.append('\r');
              case 'b' -> value.append('\b');
              case 'f' -> value.append('\f');
              case 's' -> value.append(' ');
              case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                int k = j + 1;
                int octal = 0;
                while (k < j + 4 && s.charAt(k) >= '0' && s.charAt(k) <= '7') {
                  octal = octal * 8 + (s.charAt(k) - '0');
                  k++;
                }
                value.append((char) octal);
                j = k - 2;
              }
              default -> value.append(e);
            }
            j += 2;
          } else {
            value.append(d);
            j++;
          }
        }
        if (c == '"') {
          literals.add(value.toString());
        }
        code.append(c).append(c);
        i = j + 1;
      } else {
        code.append(c);
        i++;
      }
    }
  }

  private static int lineEnd(String s, int from) {
    for (int k = from; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '\n' || c == '\r') {
        return k;
      }
    }
    return s.length();
  }
}
