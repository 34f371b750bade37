package dev.nnc.emit;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated source of three small networks, compared with reviewed golden files in {@code
 * src/test/resources/golden/}: a tiny unrolled one (XOR, with inline data), a looped one
 * (Nielsen's), and softmax cross-entropy with a penalty in float precision. They are what users
 * read, so a change to them is reviewed like a change to code. Run with {@code
 * -Dnnc.updateGolden=true} to rewrite them after an intended change.
 */
class GoldenFilesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  record Golden(String name, String nn) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Golden> goldens() {
    return List.of(
        new Golden(
            "Xor",
            """
            // XOR: the smallest network that needs a hidden layer. Every layer is tiny, so unrolled.
            network Xor {
                input   x[2]
                dense   hidden[3]  tanh     init uniform(-1, 1)
                dense   out[1]     sigmoid  init uniform(-1, 1)
                target  t[1]
                loss    squared_error(out, t) reduce half_sum
            }
            train {
                optimizer sgd(lr = 0.5)
                batch     full
                epochs    2000
                seed      3
                data inline {
                    x = [[0, 0], [0, 1], [1, 0], [1, 1]]
                    t = [[0], [1], [1], [0]]
                }
            }
            """),
        new Golden(
            "Nielsen",
            """
            // Nielsen's network: every layer is looped.
            network Nielsen {
                input   x[784]
                dense   hidden[30]  sigmoid  init normal(0, 1)  bias init normal(0, 1)
                dense   out[10]     sigmoid  init normal(0, 1)  bias init normal(0, 1)
                label   y
                loss    squared_error(out, onehot(y)) reduce half_batch_mean
            }
            train {
                optimizer sgd(lr = 3.0)
                batch     10 shuffle
                epochs    30
                seed      1
            }
            """),
        new Golden(
            "TwoLayerNet",
            """
            // cs231n's two-layer net, shrunk, in float: softmax cross-entropy and an L2 penalty.
            network TwoLayerNet {
                precision float
                input   x[D = 12]
                dense   hidden[H = 8]  relu  init normal(0, 1e-4)
                dense   scores[3]            init normal(0, 1e-4)
                label   y
                loss    softmax_cross_entropy(scores, y)
                penalty l2(5e-6)
            }
            train {
                optimizer sgd(lr = 1e-3, decay = 0.95 per epoch)
                batch     200 with replacement
                steps     1000
            }
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void generatedSourceMatchesTheGoldenFile(Golden golden) throws IOException {
    CompileResult result = NnCompiler.compile(golden.name().toLowerCase() + ".nn", golden.nn());
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    String generated = new NetworkGenerator().generate(model, "nnc.examples").toString();
    // the golden file must compile too: it is what users read
    InMemoryCompiler.compileSources(java.util.Map.of("nnc.examples." + model.name(), generated));

    compareWithGolden(GOLDEN.resolve(golden.name() + ".java.txt"), generated);
  }

  /**
   * The inference class of Nielsen's network (looped layers) and of XOR (unrolled ones), with
   * weights of zeros: its source does not depend on their values. The layers' code is what {@link
   * DenseLayerEmitter#inferenceRow} writes; compare it with the trainer's golden file.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("inferenceGoldens")
  void inferenceSourceMatchesTheGoldenFile(Golden golden) throws IOException {
    CompileResult result = NnCompiler.compile(golden.name().toLowerCase() + ".nn", golden.nn());
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    Model model = result.model().orElseThrow();
    java.util.Map<String, dev.nnc.runtime.data.NpyArray> zeros = new java.util.HashMap<>();
    for (dev.nnc.runtime.TensorSpec tensor : dev.nnc.lower.RuntimeViews.spec(model).tensors()) {
      zeros.put(
          tensor.name(),
          dev.nnc.runtime.data.NpyArray.ofDoubles(
              new double[tensor.size()], dev.nnc.runtime.data.Weights.shape(tensor)));
    }
    String generated =
        new InferenceGenerator()
            .generate(new InferenceGenerator.Input(model, zeros, "zeros.npz"), "nnc.examples")
            .toString();
    InMemoryCompiler.compileSources(java.util.Map.of("nnc.examples." + model.name(), generated));
    compareWithGolden(GOLDEN.resolve(golden.name() + "Inference.java.txt"), generated);
  }

  static List<Golden> inferenceGoldens() {
    return goldens().subList(0, 2);
  }

  private static void compareWithGolden(Path file, String generated) throws IOException {
    if (Boolean.getBoolean("nnc.updateGolden")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    assertWithMessage("missing %s: run with -Dnnc.updateGolden=true", file)
        .that(Files.exists(file))
        .isTrue();
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    if (!expected.equals(generated)) {
      assertWithMessage(
              "%s differs from the generated source at line %s; review the change and run with"
                  + " -Dnnc.updateGolden=true",
              file, firstDifferentLine(expected, generated))
          .that(generated)
          .isEqualTo(expected);
    }
  }

  private static int firstDifferentLine(String expected, String actual) {
    String[] a = expected.split("\n", -1);
    String[] b = actual.split("\n", -1);
    for (int k = 0; k < Math.min(a.length, b.length); k++) {
      if (!a[k].equals(b[k])) {
        return k + 1;
      }
    }
    return Math.min(a.length, b.length) + 1;
  }
}
