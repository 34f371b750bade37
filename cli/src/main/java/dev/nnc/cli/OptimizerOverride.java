package dev.nnc.cli;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.diag.Diagnostic;
import dev.nnc.ir.Model;
import dev.nnc.parser.NnLexer;
import dev.nnc.pipeline.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * {@code nnc train --optimizer "adam(lr = 0.001)"}: the train block's {@code optimizer} statement
 * replaced by the command line's, written as in the file, and checked by the same checker (so the
 * same rules and diagnostics apply: {@code cg} refuses {@code epochs}, {@code adam(0.01)} asks for
 * {@code lr =}, …).
 */
final class OptimizerOverride {
  private OptimizerOverride() {}

  /**
   * The model of {@code file} with its optimizer statement replaced by {@code optimizer} (the text
   * after the word {@code optimizer}, e.g. {@code adam(lr = 0.001)}).
   *
   * @throws UserInputException when the file has no optimizer statement, or the replaced file does
   *     not check (the diagnostics name {@code --optimizer} where they are about the new text)
   */
  static Model apply(Path file, String optimizer) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the file was just read by the check
    }
    String replacement = optimizer.strip();
    if (replacement.startsWith("optimizer ")) {
      replacement = replacement.substring("optimizer ".length()).strip();
    }
    if (replacement.isEmpty() || replacement.contains("\n") || replacement.contains("\r")) {
      throw new UserInputException(
          "nnc: --optimizer takes one optimizer as the train block writes it, e.g. --optimizer"
              + " \"adam(lr = 0.001)\", got '"
              + optimizer
              + "'");
    }
    int[] statement = statement(text);
    if (statement == null) {
      throw new UserInputException(
          file
              + ": error: --optimizer replaces the train block's optimizer statement, but there"
              + " is none");
    }
    String changed =
        text.substring(0, statement[0]) + "optimizer " + replacement + text.substring(statement[1]);
    int line = 1 + (int) text.substring(0, statement[0]).chars().filter(c -> c == '\n').count();
    CompileResult result = NnCompiler.compile(file.toString(), changed);
    if (!result.ok()) {
      List<String> messages = new ArrayList<>();
      for (Diagnostic diagnostic : result.diagnostics()) {
        if (!diagnostic.isError()) {
          continue;
        }
        if (diagnostic.span().line() == line) {
          messages.add(
              "nnc: --optimizer \""
                  + replacement
                  + "\": "
                  + diagnostic.message()
                  + " ["
                  + diagnostic.code().code()
                  + "]");
        } else {
          messages.add(
              result.source().format(diagnostic)
                  + "\n(with the optimizer of --optimizer \""
                  + replacement
                  + "\")");
        }
      }
      throw new UserInputException(String.join("\n", messages));
    }
    return result.model().orElseThrow();
  }

  /**
   * The character range [start, end) of the first {@code optimizer …(…)} statement: from the
   * keyword to its closing parenthesis (comments and strings are the lexer's business, not ours).
   */
  private static int[] statement(String text) {
    NnLexer lexer = new NnLexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    List<? extends Token> tokens = lexer.getAllTokens();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (token.getType() != NnLexer.OPTIMIZER || token.getChannel() != Token.DEFAULT_CHANNEL) {
        continue;
      }
      int depth = 0;
      int end = -1;
      boolean kind = false; // the optimizer's name, right after the keyword
      for (int j = i + 1; j < tokens.size(); j++) {
        Token next = tokens.get(j);
        if (next.getChannel() != Token.DEFAULT_CHANNEL) {
          continue;
        }
        if (!kind) {
          kind = true;
          end = next.getStopIndex() + 1;
        } else if (next.getText().equals("(")) {
          depth++;
        } else if (next.getText().equals(")")) {
          depth--;
          if (depth == 0) {
            end = next.getStopIndex() + 1;
            break;
          }
        } else if (depth == 0) {
          break; // a bare `optimizer sgd` (an error the check reports anyway) ends at its name
        }
      }
      return end < 0 ? null : new int[] {token.getStartIndex(), end};
    }
    return null;
  }
}
