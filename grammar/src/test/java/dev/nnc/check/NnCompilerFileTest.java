package dev.nnc.check;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NnCompiler#compile(Path)}: files that cannot be read or decoded are diagnostics. */
class NnCompilerFileTest {
  @TempDir Path folder;

  @Test
  void missingFileIsNn001() {
    CompileResult result = NnCompiler.compile(Path.of("model.nn"));

    assertThat(result.ok()).isFalse();
    assertThat(result.model()).isEmpty();
    assertThat(result.formatDiagnostics())
        .isEqualTo("model.nn: error: cannot read file: no such file [NN001]");
  }

  @Test
  void directoryIsNn001() {
    CompileResult result = NnCompiler.compile(folder);

    assertThat(result.formatDiagnostics())
        .isEqualTo(folder + ": error: cannot read file: it is a directory [NN001]");
  }

  @Test
  void malformedUtf8IsNn002AtTheBadByte() throws IOException {
    Path file = folder.resolve("bad.nn");
    byte[] before = "network N {\n  input x".getBytes(StandardCharsets.US_ASCII);
    byte[] after = "[2]\n}\n".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[before.length + 1 + after.length];
    System.arraycopy(before, 0, bytes, 0, before.length);
    bytes[before.length] = (byte) 0xFF;
    System.arraycopy(after, 0, bytes, before.length + 1, after.length);
    Files.write(file, bytes);

    CompileResult result = NnCompiler.compile(file);

    assertThat(result.formatDiagnostics())
        .isEqualTo(
            file
                + ":2:10: error: file is not valid UTF-8: bad byte 0xFF [NN002]\n"
                + "  input x\uFFFD[2]\n"
                + "         ^");
  }

  @Test
  void readsAGoodFileAsUtf8() throws IOException {
    Path file = folder.resolve("or.nn");
    Files.writeString(file, GoodFilesTest.resource("s1_or_gate.nn"), StandardCharsets.UTF_8);

    CompileResult result = NnCompiler.compile(file);

    assertThat(result.ok()).isTrue();
    assertThat(result.model().orElseThrow().sourceFile()).isEqualTo(file.toString());
  }

  @Test
  void byteOrderMarkIsIgnored() {
    CompileResult result =
        NnCompiler.compile(
            "bom.nn",
            "\uFEFFnetwork N { input x[1] dense out[1] target t[1] loss squared_error(out, t) }");

    assertThat(result.formatDiagnostics()).isEmpty();
    assertThat(result.ok()).isTrue();
  }
}
