package dev.nnc.fuzz;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.diag.Diagnostic;
import dev.nnc.emit.Generation;
import dev.nnc.emit.InMemoryCompiler;
import dev.nnc.emit.NetworkGenerator;
import dev.nnc.ir.Model;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.train.Recipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile {@code .nn} file cannot change what the generated program does: text from the file (its
 * name, data paths, names) reaches the generated source only inside string literals or neutralised
 * comments, never as code, and the class computes exactly what the reference interpreter computes.
 * Names that Java would read differently are refused with a diagnostic or renamed; generated files
 * never land outside the output folder.
 */
class InjectionTest {
  /** Each payload tries another way out of a string, a comment or a line. */
  private static final List<String> PAYLOADS =
      List.of(
          "\"); System.exit(1); //",
          "*/ static { System.exit(1); } /*",
          "\\u000a static { System.exit(1); } //",
          "\\u0022); System.exit(1); //",
          "\\\\u000a System.exit(1);",
          "// System.exit(1);",
          "\u2028 System.exit(1);",
          "$ { System.exit(1); }");

  @TempDir Path temp;

  /** The payload in the file name and in every data path of an otherwise plain network. */
  private static String hostileFile(String payload) {
    String inString = payload.replace("\\", "\\\\").replace("\"", "\\\"");
    return """
        // %s
        network Hostile {
            input   x[3]
            dense   hidden[4]  tanh
            dense   out[2]
            target  t[2]
            loss    squared_error(out, t)
        }
        train {
            optimizer sgd(lr = 0.1)
            batch     2 shuffle
            epochs    3
            data      csv("%s.csv", header)
            validate  csv("%s")
        }
        """
        .formatted(payload.replace("\n", " ").replace("\u2028", " "), inString, inString);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void hostileFileNamesAndPathsStayInsideLiteralsAndChangeNothing(int index) throws Exception {
    String payload = PAYLOADS.get(index);
    String fileName = "runs/" + payload + ".nn";
    CompileResult result = NnCompiler.compile(fileName, hostileFile(payload));
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    JavaFile javaFile = new NetworkGenerator().generate(model, "nnc.hostile");
    String source = javaFile.toString();

    // What javac sees once unicode escapes are translated: no payload outside literals/comments.
    String code = JavaText.codeOnly(JavaText.translateUnicodeEscapes(source));
    assertWithMessage(source).that(code).doesNotContain("System.exit");
    assertWithMessage(source).that(code).doesNotContain("static {");
    // the file name and the data paths (recipe()) only as string literals that read back as
    // exactly the user's text
    List<String> literals = JavaText.stringLiterals(JavaText.translateUnicodeEscapes(source));
    assertThat(literals).contains(fileName);
    assertThat(literals).containsAtLeast(payload + ".csv", payload);

    Class<? extends Network> type =
        InMemoryCompiler.compile(javaFile).loadClass(javaFile).asSubclass(Network.class);
    Network generated = type.getConstructor(int.class).newInstance(4);
    assertThat(generated.spec().sourceFile()).isEqualTo(fileName);
    Recipe<?> recipe = (Recipe<?>) type.getMethod("recipe").invoke(null);
    assertThat(recipe.data()).isEqualTo(new DataFile.Csv(payload + ".csv", true, 0));
    assertThat(recipe.validation()).isEqualTo(new DataFile.Csv(payload, false, 0));
    assertSameAsReference(model, generated);
  }

  private static void assertSameAsReference(Model model, Network generated) {
    Network reference = new ReferenceNetwork(model, 4);
    generated.initialize(5);
    reference.initialize(5);
    Batch batch = Batch.forSpec(generated.spec(), 4);
    Rng rng = new Rng(9);
    for (int i = 0; i < batch.x.length; i++) {
      batch.x[i] = rng.nextGaussian();
    }
    if (batch.labels != null) {
      for (int i = 0; i < batch.labels.length; i++) {
        batch.labels[i] = rng.nextInt(generated.spec().targetWidth());
      }
    } else {
      for (int i = 0; i < batch.targets.length; i++) {
        batch.targets[i] = rng.nextDouble();
      }
    }
    batch.setRows(4);
    double loss = generated.lossAndGradient(batch);
    double expected = reference.lossAndGradient(batch);
    assertThat(loss).isWithin(1e-12 * Math.max(1, Math.abs(expected))).of(expected);
    int count = generated.spec().parameterCount();
    double[] gradient = new double[count];
    double[] want = new double[count];
    generated.getGradient(gradient);
    reference.getGradient(want);
    assertThat(gradient).usingTolerance(1e-12).containsExactly(want).inOrder();
  }

  /** Names Java would read as something else are refused, with a positioned diagnostic. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "class",
        "int",
        "null",
        "true",
        "var",
        "record",
        "a$b",
        "$x",
        "hé",
        "x\"y",
        "Ω",
        "_",
        "a.b",
        "String\\u0029"
      })
  void namesJavaWouldMisreadAreRefused(String name) {
    for (String text :
        List.of(
            "network "
                + name
                + " {\n input x[2]\n dense out[1]\n target t[1]\n"
                + " loss squared_error(out, t)\n}\n",
            "network N {\n input x[2]\n dense "
                + name
                + "[1]\n target t[1]\n"
                + " loss squared_error("
                + name
                + ", t)\n}\n")) {
      CompileResult result = NnCompiler.compile("names.nn", text);
      if (result.ok()) {
        // a legal name must still generate a class that computes what the reference computes
        Model model = result.model().orElseThrow();
        JavaFile javaFile = new NetworkGenerator().generate(model, "nnc.names");
        assertThat(JavaText.codeOnly(JavaText.translateUnicodeEscapes(javaFile.toString())))
            .doesNotContain("\\u");
        continue;
      }
      List<Diagnostic> errors = result.diagnostics().stream().filter(Diagnostic::isError).toList();
      assertWithMessage(text).that(errors).isNotEmpty();
      assertWithMessage(result.formatDiagnostics()).that(errors.get(0).span().line()).isAtLeast(1);
    }
  }

  /**
   * Names that are legal in a {@code .nn} file but collide with what the generated class declares
   * (its methods, fields, locals; java.lang types) are renamed, and the class still computes what
   * the reference does.
   */
  @Test
  void namesCollidingWithGeneratedMembersAreRenamedDeterministically() throws Exception {
    String text =
        """
        network Network {
            input   forward[3]
            dense   SPEC[4]  tanh
            dense   lossAndGradient[3] sigmoid
            dense   maxRows[2]
            label   Math
            loss    softmax_cross_entropy(maxRows, Math)
        }
        """;
    CompileResult result = NnCompiler.compile("collide.nn", text);
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    JavaFile first = new NetworkGenerator().generate(model, "nnc.collide");
    JavaFile second = new NetworkGenerator().generate(model, "nnc.collide");
    assertThat(second.toString()).isEqualTo(first.toString());
    Class<? extends Network> type =
        InMemoryCompiler.compile(first).loadClass(first).asSubclass(Network.class);
    Network generated = type.getConstructor(int.class).newInstance(4);
    assertThat(generated.spec().tensors().get(0).name()).isEqualTo("SPEC.W");
    assertSameAsReference(model, generated);
  }

  @Test
  void generatedFilesNeverLeaveTheOutputFolder() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out"));
    TypeSpec type = TypeSpec.classBuilder("Evil").addModifiers(Modifier.PUBLIC).build();
    for (String pkg : List.of("..", "a...b", "..a", "a.b..", "/tmp", "a/../../b")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> Generation.writeTo(JavaFile.builder(pkg, type).build(), out),
          pkg);
    }
    // a package folder that is a symbolic link out of the output folder
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(out.resolve("com"), outside);
    assertThrows(
        IllegalArgumentException.class,
        () -> Generation.writeTo(JavaFile.builder("com.acme", type).build(), out));
    try (var files = Files.walk(outside)) {
      assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
    }
    // and an ordinary package is written where it belongs
    Path written = Generation.writeTo(JavaFile.builder("org.acme", type).build(), out);
    assertThat(written).isEqualTo(out.toAbsolutePath().resolve("org/acme/Evil.java"));
  }
}
