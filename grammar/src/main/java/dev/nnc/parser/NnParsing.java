package dev.nnc.parser;

import dev.nnc.ast.FileDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.DiagnosticCollector;
import dev.nnc.diag.SourceText;
import java.util.Optional;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Text → AST. Parses with SLL prediction first (fast, right for almost every input) and falls back
 * to full LL only when SLL fails, as Trino does; only the LL pass reports syntax errors, and only
 * the first one.
 */
public final class NnParsing {
  /**
   * Deepest nesting of brackets, parentheses and braces accepted. The language needs 2 or 3; the
   * limit keeps a pathological input from overflowing the parser's stack.
   */
  public static final int MAX_NESTING = 16;

  private NnParsing() {}

  /** Parses {@code source}; on any syntax error reports it and returns empty. */
  public static Optional<FileDecl> parse(SourceText source, DiagnosticCollector diagnostics) {
    SourceColumns columns = new SourceColumns(source.text());
    NnLexer lexer = new NnLexer(CharStreams.fromString(source.text(), source.fileName()));
    lexer.removeErrorListeners(); // the lexer cannot fail: every character is some token
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    if (!checkNesting(tokens, columns, diagnostics)) {
      return Optional.empty();
    }

    NnParser parser = new NnParser(tokens);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    NnParser.FileContext tree;
    try {
      tree = parser.file();
    } catch (ParseCancellationException sllFailed) {
      tokens.seek(0);
      parser.reset();
      SyntaxErrorListener listener = new SyntaxErrorListener(columns);
      parser.addErrorListener(listener);
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      tree = parser.file();
      if (listener.firstError().isPresent()) {
        diagnostics.report(listener.firstError().get());
        return Optional.empty();
      }
    }
    int errorsBefore = diagnostics.errorCount();
    FileDecl file = new AstBuilder(source.text(), diagnostics).build(tree);
    return diagnostics.errorCount() == errorsBefore ? Optional.of(file) : Optional.empty();
  }

  private static boolean checkNesting(
      CommonTokenStream tokens, SourceColumns columns, DiagnosticCollector diagnostics) {
    int depth = 0;
    for (Token token : tokens.getTokens()) {
      switch (token.getType()) {
        case NnLexer.LBRACKET, NnLexer.LPAREN, NnLexer.LBRACE -> {
          if (++depth > MAX_NESTING) {
            diagnostics.report(
                DiagnosticCode.NESTING_TOO_DEEP, columns.span(token, token), MAX_NESTING);
            return false;
          }
        }
        case NnLexer.RBRACKET, NnLexer.RPAREN, NnLexer.RBRACE -> depth = Math.max(0, depth - 1);
        default -> {}
      }
    }
    return true;
  }
}
