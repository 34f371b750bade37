package dev.nnc.parser;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Keeps the first syntax error only (one typo should not cascade) and words it for a person: {@code
 * expected ']' but found 'sigmoid'}, {@code unexpected character '#'}, never ANTLR's own text with
 * token type names.
 */
final class SyntaxErrorListener extends BaseErrorListener {
  private static final int MOST_ALTERNATIVES_LISTED = 5;

  /** Words that start a statement; an expected set holding all of them reads "a statement". */
  private static final int[] STATEMENT_KEYWORDS = {
    NnLexer.PRECISION,
    NnLexer.INPUT,
    NnLexer.DENSE,
    NnLexer.TARGET,
    NnLexer.LABEL,
    NnLexer.LOSS,
    NnLexer.PENALTY,
    NnLexer.OPTIMIZER,
    NnLexer.BATCH,
    NnLexer.EPOCHS,
    NnLexer.STEPS,
    NnLexer.SEED,
    NnLexer.DATA,
    NnLexer.VALIDATE,
    NnLexer.CONV,
    NnLexer.MAXPOOL,
    NnLexer.AVGPOOL,
    NnLexer.FLATTEN
  };

  private final SourceColumns columns;
  private Diagnostic first;

  SyntaxErrorListener(SourceColumns columns) {
    this.columns = columns;
  }

  Optional<Diagnostic> firstError() {
    return Optional.ofNullable(first);
  }

  @Override
  public void syntaxError(
      Recognizer<?, ?> recognizer,
      Object offendingSymbol,
      int line,
      int charPositionInLine,
      String antlrMessage,
      RecognitionException exception) {
    if (first != null || !(offendingSymbol instanceof Token offending)) {
      return;
    }
    first = describe((Parser) recognizer, offending, exception);
  }

  private Diagnostic describe(Parser parser, Token offending, RecognitionException exception) {
    if (offending.getType() == NnLexer.UNEXPECTED_CHARACTER) {
      return Diagnostic.of(
          DiagnosticCode.UNEXPECTED_CHARACTER,
          columns.span(offending, offending),
          (offending.getText().equals("'") ? "\"'\"" : quoteCharacter(offending.getText()))
              + (offending.getText().equals("'")
                      || offending.getText().equals("‘")
                      || offending.getText().equals("“")
                  ? "; strings take straight double quotes: \"train.csv\""
                  : ""));
    }
    if (offending.getType() == NnLexer.UNTERMINATED_STRING) {
      return Diagnostic.of(DiagnosticCode.UNTERMINATED_STRING, columns.span(offending, offending));
    }
    if (offending.getType() == NnLexer.BAD_NUMBER) {
      return Diagnostic.of(
          DiagnosticCode.BAD_NUMBER, columns.span(offending, offending), offending.getText());
    }
    Optional<Diagnostic> hint = hint(parser.getInputStream(), offending);
    if (hint.isPresent()) {
      return hint.get();
    }
    Span span = spanOf(parser.getInputStream(), offending);
    String found = describeToken(offending);
    // A no-viable-alternative error can surface tokens after the point of decision; then the
    // expected set describes another place, so name only what was found.
    if (exception instanceof NoViableAltException noViable
        && noViable.getStartToken().getTokenIndex() != offending.getTokenIndex()) {
      return Diagnostic.of(DiagnosticCode.SYNTAX_ERROR, span, "unexpected " + found);
    }
    IntervalSet expected =
        exception != null && exception.getExpectedTokens() != null
            ? exception.getExpectedTokens()
            : parser.getExpectedTokens();
    List<String> alternatives = describeExpected(expected);
    if (alternatives.isEmpty() || alternatives.size() > MOST_ALTERNATIVES_LISTED) {
      return Diagnostic.of(DiagnosticCode.SYNTAX_ERROR, span, "unexpected " + found);
    }
    return Diagnostic.of(
        DiagnosticCode.SYNTAX_ERROR,
        span,
        "expected " + joinAlternatives(alternatives) + " but found " + found);
  }

  /**
   * Mistakes users of other tools make, each worded as what to write: a bare {@code standardize},
   * {@code target t} without its width, {@code adam(0.01)} without {@code lr =}, {@code header =
   * true} for the flag {@code header}.
   */
  private Optional<Diagnostic> hint(TokenStream tokens, Token offending) {
    int index = offending.getTokenIndex();
    Token previous = index >= 1 ? tokens.get(index - 1) : null;
    Token before = index >= 2 ? tokens.get(index - 2) : null;
    Token third = index >= 3 ? tokens.get(index - 3) : null;
    if (previous == null) {
      return Optional.empty();
    }
    if (previous.getType() == NnLexer.STANDARDIZE && offending.getType() != NnLexer.LPAREN) {
      return Optional.of(
          Diagnostic.of(
              DiagnosticCode.SYNTAX_ERROR,
              columns.span(previous, previous),
              "standardize takes its ddof in parentheses: write standardize(ddof = 0) (population"
                  + " std, as scikit-learn's StandardScaler) or standardize(ddof = 1) (unbiased)"));
    }
    if (before != null
        && before.getType() == NnLexer.TARGET
        && offending.getType() != NnLexer.LBRACKET) {
      return Optional.of(
          Diagnostic.of(
              DiagnosticCode.SYNTAX_ERROR,
              columns.span(previous, previous),
              "target '"
                  + previous.getText()
                  + "' needs its width: write target "
                  + previous.getText()
                  + "[N] for N target columns, or label "
                  + previous.getText()
                  + " for one column of class labels"));
    }
    if (third != null
        && third.getType() == NnLexer.OPTIMIZER
        && previous.getType() == NnLexer.LPAREN
        && (offending.getType() == NnLexer.NUMBER || offending.getType() == NnLexer.MINUS)) {
      return Optional.of(
          Diagnostic.of(
              DiagnosticCode.SYNTAX_ERROR,
              columns.span(offending, offending),
              "optimizer arguments are named: write "
                  + before.getText()
                  + "(lr = "
                  + offending.getText()
                  + ")"));
    }
    if (before != null
        && before.getText().equals("header")
        && previous.getText().equals("=")
        && (offending.getText().equals("true") || offending.getText().equals("false"))) {
      return Optional.of(
          Diagnostic.of(
              DiagnosticCode.SYNTAX_ERROR,
              columns.span(offending, offending),
              "header is a flag, not a setting: write csv(\"file.csv\", header) when the first line"
                  + " names the columns, and leave it out when it does not"));
    }
    return Optional.empty();
  }

  // At the end of the file, point just after the last real token instead of at an empty line.
  private Span spanOf(TokenStream tokens, Token offending) {
    if (offending.getType() == Token.EOF && offending.getTokenIndex() > 0) {
      Token previous = tokens.get(offending.getTokenIndex() - 1);
      return columns.after(previous);
    }
    return columns.span(offending, offending);
  }

  private static String describeToken(Token token) {
    if (token.getType() == Token.EOF) {
      return "end of file";
    }
    String text = token.getText();
    if (text.length() > 24) {
      text = text.substring(0, 24) + "…";
    }
    return "'" + text + "'";
  }

  private static List<String> describeExpected(IntervalSet expected) {
    IntervalSet remaining = new IntervalSet(expected);
    List<String> words = new ArrayList<>();
    boolean statement = true;
    for (int keyword : STATEMENT_KEYWORDS) {
      statement &= remaining.contains(keyword);
    }
    if (statement) {
      for (int keyword : STATEMENT_KEYWORDS) {
        remaining.remove(keyword);
      }
      remaining.remove(NnLexer.ID);
      words.add("a statement");
    }
    if (remaining.contains(NnLexer.ID)) {
      // The identifier rule accepts every keyword; listing them all would only confuse.
      for (int type = 1; type <= NnLexer.ROWS; type++) {
        remaining.remove(type);
      }
      for (int type = NnLexer.CONV; type <= NnLexer.PAD; type++) {
        remaining.remove(type);
      }
      remaining.remove(NnLexer.ID);
      words.add("a name");
    }
    if (remaining.contains(NnLexer.NUMBER)) {
      remaining.remove(NnLexer.NUMBER);
      remaining.remove(NnLexer.BAD_NUMBER);
      if (remaining.contains(NnLexer.STRING)) {
        remaining.remove(NnLexer.STRING);
        words.add("a string");
      }
      remaining.remove(NnLexer.MINUS);
      words.add("a number");
    }
    remaining.remove(NnLexer.BAD_NUMBER);
    if (remaining.contains(NnLexer.STRING)) {
      remaining.remove(NnLexer.STRING);
      words.add("a string");
    }
    for (int type : remaining.toList()) {
      words.add(
          type == Token.EOF
              ? "end of file"
              : NnLexer.VOCABULARY.getLiteralName(type) != null
                  ? NnLexer.VOCABULARY.getLiteralName(type)
                  : NnLexer.VOCABULARY.getSymbolicName(type));
    }
    // The file's end reads best last.
    if (words.remove("end of file")) {
      words.add("end of file");
    }
    return words;
  }

  private static String joinAlternatives(List<String> words) {
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1))
        + " or "
        + words.get(words.size() - 1);
  }

  private static String quoteCharacter(String text) {
    int codePoint = text.codePointAt(0);
    if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)) {
      return String.format("U+%04X", codePoint);
    }
    return "'" + text + "'";
  }
}
