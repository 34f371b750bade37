package dev.nnc.check;

import dev.nnc.ast.NameDecl;
import dev.nnc.diag.DiagnosticCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every declared name is a usable Java identifier: ASCII {@code [A-Za-z][A-Za-z0-9_]*}, at most 64
 * characters, and not a Java keyword or reserved word (the network's name becomes a class name, the
 * others become fields and constants). The lexer accepts more so that the user reads a message
 * quoting the name rather than a lexer error.
 */
final class NameSyntaxPass implements CheckPass {
  static final int MAX_NAME_LENGTH = 64;
  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final Pattern ASCII_NAME_CHARACTERS = Pattern.compile("[A-Za-z0-9_]*");

  /** Java's keywords, its literals, and the restricted identifiers that cannot name a type. */
  static final Set<String> JAVA_RESERVED =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "var",
          "yield",
          "record",
          "sealed",
          "permits");

  @Override
  public void run(CheckContext context) {
    List<NameDecl> names = new ArrayList<>();
    names.add(context.network.name());
    Declarations.values(context.network).forEach(declared -> names.add(declared.name()));
    names.addAll(Declarations.dimensions(context.network));
    for (NameDecl name : names) {
      check(context, name);
    }
  }

  private static void check(CheckContext context, NameDecl name) {
    String text = name.text();
    if (text.length() > MAX_NAME_LENGTH) {
      context.report(
          DiagnosticCode.NAME_TOO_LONG, name.span(), text.substring(0, 20), text.length());
    } else if (!VALID_NAME.matcher(text).matches()) {
      String problem =
          ASCII_NAME_CHARACTERS.matcher(text).matches()
              ? "must start with a letter"
              : "may contain only ASCII letters, digits and '_'";
      context.report(DiagnosticCode.INVALID_NAME, name.span(), text, problem);
    } else if (JAVA_RESERVED.contains(text)) {
      context.report(DiagnosticCode.RESERVED_NAME, name.span(), text);
    }
  }
}
