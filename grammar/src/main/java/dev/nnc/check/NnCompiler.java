package dev.nnc.check;

import dev.nnc.ast.FileDecl;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.DiagnosticCollector;
import dev.nnc.diag.SourceText;
import dev.nnc.diag.Span;
import dev.nnc.ir.Model;
import dev.nnc.parser.NnParsing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The front end in one call: {@code .nn} text → parse → check → {@link Model}. Never throws: every
 * problem with the input is a diagnostic, and a bug inside nnc becomes NN900 rather than a stack
 * trace in the user's face.
 */
public final class NnCompiler {
  private NnCompiler() {}

  /** Compiles {@code text}; {@code fileName} is only used in messages and the model. */
  public static CompileResult compile(String fileName, String text) {
    SourceText source = new SourceText(fileName, text);
    DiagnosticCollector diagnostics = new DiagnosticCollector();
    try {
      Optional<FileDecl> file = NnParsing.parse(source, diagnostics);
      Optional<Model> model = file.flatMap(decl -> CheckPipeline.check(decl, source, diagnostics));
      return new CompileResult(model, diagnostics.diagnostics(), source);
    } catch (RuntimeException | StackOverflowError bug) {
      return internalError(source, bug);
    }
  }

  /**
   * Reads {@code file} as UTF-8 and compiles it; a file that cannot be read is NN001 and one that
   * is not valid UTF-8 is NN002, both as diagnostics.
   */
  public static CompileResult compile(Path file) {
    String fileName = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException missing) {
      return unreadable(fileName, "no such file");
    } catch (AccessDeniedException denied) {
      return unreadable(fileName, "permission denied");
    } catch (IOException | RuntimeException other) {
      String reason =
          Files.isDirectory(file)
              ? "it is a directory"
              : other.getMessage() == null ? other.getClass().getSimpleName() : other.getMessage();
      return unreadable(fileName, reason);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return malformed(fileName, bytes, in.position(), out.flip().toString());
    }
    decoder.flush(out);
    return compile(fileName, out.flip().toString());
  }

  private static CompileResult unreadable(String fileName, String reason) {
    SourceText source = new SourceText(fileName, "");
    return new CompileResult(
        Optional.empty(),
        List.of(Diagnostic.of(DiagnosticCode.CANNOT_READ_FILE, Span.NONE, reason)),
        source);
  }

  // Points at the first bad byte: the text shown is the file decoded leniently (U+FFFD for bad
  // bytes), so the source line under the message is the one the user's editor shows.
  private static CompileResult malformed(
      String fileName, byte[] bytes, int badByte, String decodedBefore) {
    String lenient = new String(bytes, StandardCharsets.UTF_8);
    SourceText source = new SourceText(fileName, lenient);
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < decodedBefore.length(); i++) {
      if (decodedBefore.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    Span span = new Span(line, decodedBefore.length() - lineStart + 1, 1);
    String reason = String.format(Locale.ROOT, "bad byte 0x%02X", bytes[badByte] & 0xFF);
    return new CompileResult(
        Optional.empty(),
        List.of(Diagnostic.of(DiagnosticCode.MALFORMED_UTF8, span, reason)),
        source);
  }

  private static CompileResult internalError(SourceText source, Throwable bug) {
    String what = bug.getClass().getSimpleName();
    if (bug.getMessage() != null) {
      what += ": " + bug.getMessage();
    }
    return new CompileResult(
        Optional.empty(),
        List.of(Diagnostic.of(DiagnosticCode.INTERNAL_ERROR, Span.NONE, what)),
        source);
  }
}
