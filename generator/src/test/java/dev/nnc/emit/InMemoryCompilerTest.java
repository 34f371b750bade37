package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-memory compilation, class-file sizes, and writing generated files to disk. */
class InMemoryCompilerTest {
  @Test
  void compileErrorsNameTheGeneratedLine() {
    String source =
        "package p;\n\npublic class Broken {\n  int f() {\n    return \"text\";\n  }\n}\n";
    CompilationException e =
        assertThrows(
            CompilationException.class,
            () -> InMemoryCompiler.compileSources(Map.of("p.Broken", source)));
    assertThat(e.diagnostics()).startsWith("Broken.java:5: error: incompatible types");
    assertThat(e.diagnostics()).contains("    return \"text\";");
  }

  @Test
  void compiledClassesLoadAndRun() throws Exception {
    CompiledClasses classes =
        InMemoryCompiler.compileSources(
            Map.of(
                "p.Answer",
                "package p; public class Answer { public static int get() { return 42; } }"));
    assertThat(classes.classFiles().keySet()).containsExactly("p.Answer");
    assertThat(classes.loadClass("p.Answer").getMethod("get").invoke(null)).isEqualTo(42);
  }

  @Test
  void bytecodeSizesAreReadFromTheClassFile() {
    // iconst_1, ireturn = 2 bytes; the loop: iconst_0 istore_1 iload_1 bipush 10 if_icmpge …
    String source =
        "package p; public class Sizes {"
            + " static int one() { return 1; }"
            + " static long big() { return 1234567890123L; }"
            + " static double pi() { return 3.14; }"
            + " static String text() { return \"x\"; } }";
    byte[] bytes =
        InMemoryCompiler.compileSources(Map.of("p.Sizes", source)).classFiles().get("p.Sizes");
    List<BytecodeSizes.MethodSize> methods = BytecodeSizes.methods(bytes);
    assertThat(methods)
        .containsAtLeast(
            new BytecodeSizes.MethodSize("one", "()I", 2), // iconst_1 ireturn
            new BytecodeSizes.MethodSize("big", "()J", 4), // ldc2_w #n, lreturn
            new BytecodeSizes.MethodSize("pi", "()D", 4), // ldc2_w #n, dreturn
            new BytecodeSizes.MethodSize("text", "()Ljava/lang/String;", 3), // ldc #n, areturn
            new BytecodeSizes.MethodSize("<init>", "()V", 5)); // aload_0 invokespecial return
  }

  @Test
  void writeToPutsTheFileUnderItsPackageAndNowhereElse(@TempDir Path dir) throws Exception {
    JavaFile file =
        JavaFile.builder(
                "a.b",
                TypeSpec.classBuilder("C")
                    .addMethod(MethodSpec.methodBuilder("f").addModifiers(Modifier.STATIC).build())
                    .build())
            .build();
    Path written = Generation.writeTo(file, dir);
    assertThat(written).isEqualTo(dir.toAbsolutePath().resolve("a/b/C.java"));
    assertThat(Files.readString(written)).isEqualTo(file.toString());
    // written again: replaced whole, and no temporary file left behind
    Generation.writeTo(file, dir);
    try (var files = Files.list(written.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("C.java");
    }
    JavaFile escaping = JavaFile.builder("..", TypeSpec.classBuilder("D").build()).build();
    assertThrows(IllegalArgumentException.class, () -> Generation.writeTo(escaping, dir));
  }
}
