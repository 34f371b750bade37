package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.check.NnCompiler;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.GenerateConfig;
import dev.nnc.pipeline.SourceGeneration;
import dev.nnc.pipeline.Training;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.data.Weights;
import dev.nnc.runtime.train.TrainListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference-only class: generated from trained weights, compiled without the runtime on the
 * class path, loaded by a loader that cannot see the runtime, and held against the trainer.
 */
class InferenceGeneratorTest {
  static final String XOR =
      """
      network Xor {
          input   x[2]
          dense   hidden[4]  tanh     init xavier()
          dense   out[1]     sigmoid  init xavier()
          target  t[1]
          loss    binary_cross_entropy(out, t)
      }
      train {
          optimizer sgd(lr = 0.5)
          epochs    300
          seed      1
          data inline {
              x = [[0, 0], [0, 1], [1, 0], [1, 1]]
              t = [[0], [1], [1], [0]]
          }
      }
      """;

  /** Powers, standardised inputs and targets: predict must apply and undo them. */
  static final String REGRESSION =
      """
      network Regression {
          input   x[1]  powers(1, 2)  standardize(ddof = 1)
          dense   hidden[3] relu init he()
          dense   yhat[1]
          target  y[1]  standardize(ddof = 1)
          loss    squared_error(yhat, y) reduce mean
      }
      train {
          optimizer sgd(lr = 0.03)
          epochs    30
          seed      3
          data inline {
              x = [[1], [2], [3], [4], [5]]
              y = [[1], [4], [9], [16], [25]]
          }
      }
      """;

  /** Float precision, labels, softmax on the output, no bias on the hidden layer. */
  static final String CLASSES =
      """
      network Classes {
          precision float
          input   x[3]  standardize(ddof = 0)
          dense   hidden[5]  sigmoid nobias
          dense   out[3]     softmax
          label   y
          loss    squared_error(out, onehot(y))
      }
      train {
          optimizer sgd(lr = 0.5)
          epochs    50
          seed      7
          data inline {
              x = [[1, 2, 3], [3, 2, 1], [0, 5, 1], [2, 2, 2], [9, 1, 0]]
              y = [0, 1, 2, 1, 0]
          }
      }
      """;

  /** Softmax cross-entropy: the class predicts probabilities, and logits on request. */
  static final String SOFTMAX =
      """
      network Iris {
          input   x[2]  standardize(ddof = 0)
          dense   hidden[4]  tanh  init xavier()
          dense   scores[3]        init xavier()
          label   y
          loss    softmax_cross_entropy(scores, y)
      }
      train {
          optimizer sgd(lr = 0.5)
          epochs    200
          seed      2
          data inline {
              x = [[0, 0], [0, 1], [5, 5], [5, 6], [9, 0], [9, 1]]
              y = [0, 0, 1, 1, 2, 2]
          }
      }
      """;

  /** A 0/1 label against one sigmoid output. */
  static final String BINARY_LABEL =
      """
      network Gate {
          input   x[2]
          dense   hidden[3]  tanh     init xavier()
          dense   out[1]     sigmoid  init xavier()
          label   y
          loss    binary_cross_entropy(out, y)
      }
      train {
          optimizer sgd(lr = 0.5)
          epochs    500
          seed      1
          data inline {
              x = [[0, 0], [0, 1], [1, 0], [1, 1]]
              y = [0, 1, 1, 1]
          }
      }
      """;

  /** Convolution (2 channels, padding, stride), max and overlapping average pooling. */
  static final String CONV =
      """
      network Images {
          input   x[2, 4, 5]
          conv    c[3] kernel (3, 2) pad 1 tanh
          maxpool p kernel 2 stride 1
          conv    d[2] kernel 2 stride (1, 2) relu
          avgpool q kernel (1, 2) stride 1
          dense   out[2] softmax
          label   y
          loss    squared_error(out, onehot(y))
      }
      train {
          optimizer sgd(lr = 0.5)
          epochs    20
          seed      5
          data inline {
              x = [[-0.52, 0.09, -0.26, 0.21, 0.25, -0.87, -0.97, 0.67, -0.48, -0.53, 0.99, -0.06, 0.67, -0.05, 0.28, -0.7, 0.27, 0.74, 0.05, 0.48, 0.34, -0.87, 0.52, 0.18, -0.4, -0.94, 0.73, -0.05, 0.44, 0.76, 0.43, 0.84, -0.21, 0.6, -0.11, 0.87, 0.76, -0.81, -0.73, -0.57],
              [0.93, -0.13, 0.25, -0.4, 0.01, -0.23, -0.3, 0.17, 0.17, 0.81, 0.36, 0.86, 0.71, 0.98, 0.34, -0.67, 0.72, 0.93, 0.81, 0.14, 0.43, -0.58, 0.66, 0.15, -0.43, -0.87, 0.71, 0.98, -0.82, 0.6, -0.18, -0.7, -0.41, 0.54, 0.75, -0.91, 0.23, -0.91, 0.44, -0.34],
              [0.76, 0.96, 0.01, 1.0, -0.38, -0.85, 0.2, -0.94, -0.61, -0.18, 0.22, -0.69, -0.92, 0.74, -0.37, 0.92, 0.79, -0.24, -0.08, 0.04, 0.29, 0.19, 0.12, 0.24, 0.88, 0.01, -0.14, 0.44, -0.52, -0.4, 0.96, 0.04, 0.1, -0.98, -0.17, 0.16, -0.96, 0.23, 0.26, -0.88],
              [0.25, -0.07, 0.36, -0.29, 0.41, 0.48, -0.96, -0.88, 0.35, 0.93, -0.5, -0.09, 0.19, -0.36, -0.27, -0.37, -0.26, 0.19, -0.4, -0.25, 0.54, -0.95, 0.14, 0.47, -0.38, -0.55, 0.61, -0.52, -0.63, -0.13, 0.4, -0.8, -0.36, -0.33, 0.67, -0.12, 0.71, -0.66, -0.33, 0.3]]
              y = [0, 1, 1, 0]
          }
      }
      """;

  /**
   * Layers of more than {@link EmitContext#UNROLL_LIMIT} weights, which the trainer computes with
   * the runtime's matrix kernels (a fused multiply-add per term), sigmoid through {@code
   * Kernels.sigmoid}: the inference class must predict the same bits.
   */
  static final String WIDE =
      """
      network Wide {
          precision PRECISION
          input   x[6]
          dense   hidden[10] sigmoid
          dense   second[7]  relu  nobias
          dense   out[4]
          label   y
          loss    softmax_cross_entropy(out, y)
      }
      train {
          optimizer sgd(lr = 0.3)
          epochs    30
          seed      11
          data inline {
              x = [[1, 2, 3, 0, -1, 2], [3, 2, 1, 1, 0, -2], [0, 5, 1, 2, 2, 2], [2, 2, 2, -1, 0, 1],
                   [9, 1, 0, 0, 3, 1], [-2, 0, 1, 4, 1, 0]]
              y = [0, 1, 2, 3, 0, 1]
          }
      }
      """;

  @TempDir Path temp;

  /** A trained model of {@code text}: its trainer, the preprocessing, and the inference class. */
  record Trained(Network network, Preprocessing preprocessing, Path weights, Class<?> inference) {
    double[] predictInference(double[] x, int rows) {
      try {
        Method predict = inference.getMethod("predict", double[].class, int.class);
        return (double[]) predict.invoke(null, x, rows);
      } catch (InvocationTargetException e) {
        throw new AssertionError(e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
  }

  private Trained train(String text) throws IOException {
    var compiled = NnCompiler.compile("model.nn", text);
    assertThat(compiled.formatDiagnostics()).isEmpty();
    CompiledModel model = CompiledModel.of(compiled.model().orElseThrow());
    var config = RuntimeViews.trainConfig(model.model()).orElseThrow();
    var data = RuntimeViews.inlineData(model.model()).orElseThrow();
    Training.Result result = Training.run(model, data, config, new TrainListener() {});
    String name = model.model().name();
    Path weights = temp.resolve(name + "-trained.npz");
    Npz.write(weights, result.weights());

    Path nn = temp.resolve(name + ".nn");
    Files.writeString(nn, text, StandardCharsets.UTF_8);
    Path out = temp.resolve("out-" + name);
    List<String> diagnostics = new ArrayList<>();
    SourceGeneration.Result generated =
        SourceGeneration.generate(
            GenerateConfig.ofFiles(List.of(nn), out, "com.acme").withInferenceWeights(weights),
            diagnostics::add);
    assertThat(diagnostics).isEmpty();
    Path folder = out.resolve("com/acme").toAbsolutePath();
    assertThat(generated.written())
        .containsExactly(folder.resolve(name + ".java"), folder.resolve(name + ".npz"))
        .inOrder();
    String source = Files.readString(folder.resolve(name + ".java"));
    assertThat(source).doesNotContain("import dev.nnc");
    assertThat(source).doesNotContain("dev.nnc.runtime");
    Class<?> inference = compileWithoutRuntime("com.acme." + name, source, folder);
    return new Trained(result.network(), result.preprocessing(), weights, inference);
  }

  @Test
  void xorPredictsWhatTheTrainerPredicts() throws Exception {
    Trained xor = train(XOR);
    double[] x = {0, 0, 0, 1, 1, 0, 1, 1};
    double[] expected = Weights.predict(xor.network(), xor.preprocessing(), x, 4);
    assertThat(xor.predictInference(x, 4)).usingExactEquality().containsExactly(expected).inOrder();
    Method one = xor.inference().getMethod("predict", double[].class);
    assertThat((double[]) one.invoke(null, (Object) new double[] {0, 1}))
        .usingExactEquality()
        .containsExactly(expected[1]);
    assertThat(xor.inference().getField("INPUT").getInt(null)).isEqualTo(2);
  }

  @Test
  void theStandardisationIsAppliedAndUndone() throws Exception {
    Trained regression = train(REGRESSION);
    double[] x = {1, 2.5, 4, 7};
    double[] expected = Weights.predict(regression.network(), regression.preprocessing(), x, 4);
    double[] actual = regression.predictInference(x, 4);
    assertThat(actual).usingExactEquality().containsExactly(expected).inOrder();
    // in the targets' units, not standardised ones: 16 for x = 4 is far from 0 ± 2
    assertThat(actual[2]).isGreaterThan(5.0);
  }

  @Test
  void aFloatSoftmaxNetworkMatchesTheTrainerInFloat() throws Exception {
    Trained classes = train(CLASSES);
    double[] x = randomRows(new Random(5), 20, 3);
    double[] expected = Weights.predict(classes.network(), classes.preprocessing(), x, 20);
    double[] actual = classes.predictInference(x, 20);
    assertThat(actual).usingTolerance(1e-6).containsExactly(expected).inOrder();
    for (int r = 0; r < 20; r++) {
      assertThat(actual[3 * r] + actual[3 * r + 1] + actual[3 * r + 2]).isWithin(1e-5).of(1.0);
    }
  }

  @Test
  void aSoftmaxCrossEntropyNetworkPredictsProbabilitiesLogitsAndClasses() throws Exception {
    Trained iris = train(SOFTMAX);
    double[] x = {0, 0.5, 5, 5.5, 9, 0.5, 2, 2};
    double[] probabilities = Weights.predict(iris.network(), iris.preprocessing(), x, 4);
    double[] logits = Weights.logits(iris.network(), iris.preprocessing(), x, 4);
    double[] raw = new double[12];
    iris.network().predict(iris.preprocessing().transformInputs(x, 4), 4, raw);
    assertThat(logits).usingExactEquality().containsExactly(raw).inOrder();
    for (int r = 0; r < 4; r++) {
      double sum = 0;
      double exps = 0;
      for (int j = 0; j < 3; j++) {
        sum += probabilities[3 * r + j];
        exps += Math.exp(logits[3 * r + j]);
      }
      assertThat(sum).isWithin(1e-12).of(1.0);
      for (int j = 0; j < 3; j++) {
        // softmax by its definition, against the max-shifted form predict uses
        assertThat(probabilities[3 * r + j]).isWithin(1e-12).of(Math.exp(logits[3 * r + j]) / exps);
      }
    }
    assertThat(iris.predictInference(x, 4))
        .usingExactEquality()
        .containsExactly(probabilities)
        .inOrder();
    Method logitsMethod = iris.inference().getMethod("logits", double[].class, int.class);
    assertThat((double[]) logitsMethod.invoke(null, x, 4))
        .usingExactEquality()
        .containsExactly(logits)
        .inOrder();
    Method classes = iris.inference().getMethod("predictClasses", double[].class, int.class);
    int[] predicted = (int[]) classes.invoke(null, x, 4);
    assertThat(predicted).isEqualTo(Weights.classes(iris.network(), iris.preprocessing(), x, 4));
    assertThat(predicted[0]).isEqualTo(0);
    assertThat(predicted[1]).isEqualTo(1);
    assertThat(predicted[2]).isEqualTo(2);
    Method one = iris.inference().getMethod("predictClass", double[].class);
    assertThat(one.invoke(null, (Object) new double[] {9, 0.5})).isEqualTo(2);
    String source = Files.readString(temp.resolve("out-Iris/com/acme/Iris.java"));
    assertThat(source)
        .contains(
            "{@code predict} returns the class probabilities (the softmax of the logits; each row"
                + " sums to 1);");
  }

  @Test
  void aZeroOneLabelTrainsOneSigmoidOutputAndPredictsTheClass() throws Exception {
    Trained gate = train(BINARY_LABEL);
    double[] x = {0, 0, 0, 1, 1, 0, 1, 1};
    double[] p = gate.predictInference(x, 4);
    assertThat(p[0]).isLessThan(0.2);
    assertThat(p[1]).isGreaterThan(0.8);
    Method classes = gate.inference().getMethod("predictClasses", double[].class, int.class);
    assertThat((int[]) classes.invoke(null, x, 4)).isEqualTo(new int[] {0, 1, 1, 1});
    assertThat(Weights.classes(gate.network(), gate.preprocessing(), x, 4))
        .isEqualTo(new int[] {0, 1, 1, 1});
  }

  @Test
  void aConvolutionalNetworkPredictsWhatTheTrainerPredicts() throws Exception {
    Trained images = train(CONV);
    double[] x = randomRows(new Random(9), 6, 40);
    double[] expected = Weights.predict(images.network(), images.preprocessing(), x, 6);
    assertThat(images.predictInference(x, 6))
        .usingExactEquality()
        .containsExactly(expected)
        .inOrder();
    assertThat(images.inference().getField("INPUT").getInt(null)).isEqualTo(40);
  }

  @Test
  void layersOnTheMatrixKernelsPredictTheTrainersBitsInDoubleAndFloat() throws Exception {
    for (String precision : List.of("double", "float")) {
      Trained wide = train(WIDE.replace("PRECISION", precision));
      double[] x = randomRows(new Random(3), 9, 6);
      double[] expected = Weights.predict(wide.network(), wide.preprocessing(), x, 9);
      assertWithMessage(precision)
          .that(wide.predictInference(x, 9))
          .usingExactEquality()
          .containsExactly(expected)
          .inOrder();
      Method logits = wide.inference().getMethod("logits", double[].class, int.class);
      assertWithMessage(precision)
          .that((double[]) logits.invoke(null, x, 9))
          .usingExactEquality()
          .containsExactly(Weights.logits(wide.network(), wide.preprocessing(), x, 9))
          .inOrder();
    }
  }

  @Test
  void eightThreadsAtOncePredictWhatOneThreadDoes() throws Exception {
    Trained regression = train(REGRESSION);
    int threads = 8;
    int calls = 2000;
    List<double[]> inputs = new ArrayList<>();
    List<double[]> single = new ArrayList<>();
    Random random = new Random(11);
    for (int t = 0; t < threads; t++) {
      double[] x = randomRows(random, 7, 1);
      inputs.add(x);
      single.add(regression.predictInference(x, 7));
    }
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<double[]>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        double[] x = inputs.get(t);
        Callable<List<double[]>> task =
            () -> {
              start.await();
              List<double[]> results = new ArrayList<>();
              for (int i = 0; i < calls; i++) {
                results.add(regression.predictInference(x, 7));
              }
              return results;
            };
        futures.add(pool.submit(task));
      }
      for (int t = 0; t < threads; t++) {
        for (double[] result : futures.get(t).get()) {
          assertThat(result).usingExactEquality().containsExactly(single.get(t)).inOrder();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void weightsOfTheWrongShapeAreRefusedNamingTheMember() throws IOException {
    Path nn = temp.resolve("xor.nn");
    Files.writeString(nn, XOR);
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("hidden.W", NpyArray.ofDoubles(new double[12], 3, 4));
    arrays.put("hidden.b", NpyArray.ofDoubles(new double[4], 4));
    arrays.put("out.W", NpyArray.ofDoubles(new double[4], 4, 1));
    arrays.put("out.b", NpyArray.ofDoubles(new double[1], 1));
    Path weights = temp.resolve("Xor.npz");
    Npz.write(weights, arrays);

    List<String> diagnostics = new ArrayList<>();
    Path out = temp.resolve("out");
    SourceGeneration.Result result =
        SourceGeneration.generate(
            GenerateConfig.ofFiles(List.of(nn), out, "").withInferenceWeights(weights),
            diagnostics::add);
    assertThat(result.ok()).isFalse();
    assertThat(diagnostics)
        .containsExactly("Xor.npz: member 'hidden.W': shape (3, 4), the network needs (2, 4)");
    assertThat(Files.exists(out.resolve("Xor.java"))).isFalse();
    assertThat(Files.exists(out.resolve("Xor.npz"))).isFalse();

    Network network = CompiledModel.load(nn).newNetwork(4);
    DataFormatException refused =
        assertThrows(DataFormatException.class, () -> Weights.load(weights, network));
    assertThat(refused)
        .hasMessageThat()
        .isEqualTo("Xor.npz: member 'hidden.W': shape (3, 4), the network needs (2, 4)");
  }

  @Test
  void missingStatisticsAreRefused() throws IOException {
    Path nn = temp.resolve("regression.nn");
    Files.writeString(nn, REGRESSION);
    CompiledModel model = CompiledModel.load(nn);
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    for (var tensor : model.spec().tensors()) {
      arrays.put(
          tensor.name(), NpyArray.ofDoubles(new double[tensor.size()], Weights.shape(tensor)));
    }
    Path weights = temp.resolve("Regression.npz");
    Npz.write(weights, arrays);
    DataFormatException refused =
        assertThrows(DataFormatException.class, () -> Weights.load(weights, model.newNetwork(2)));
    assertThat(refused)
        .hasMessageThat()
        .startsWith("Regression.npz: preprocessing statistics: missing array 'x.mean'");
  }

  @Test
  void aMissingResourceIsNamedWhenTheClassIsFirstUsed() throws Exception {
    Trained xor = train(XOR);
    String source = Files.readString(temp.resolve("out-Xor/com/acme/Xor.java"));
    Path empty = Files.createDirectories(temp.resolve("empty"));
    Class<?> lonely = compileWithoutRuntime("com.acme.Xor", source, empty);
    var error =
        assertThrows(
            ExceptionInInitializerError.class,
            () -> lonely.getMethod("predict", double[].class).invoke(null, (Object) new double[2]));
    assertThat(error.getCause())
        .hasMessageThat()
        .isEqualTo(
            "Xor: no resource Xor.npz beside the class; put the .npz generated with it on the class"
                + " path, in the class's package");
    assertThat(xor.inference()).isNotEqualTo(lonely);
  }

  private static double[] randomRows(Random random, int rows, int width) {
    double[] x = new double[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble() * 6 - 1;
    }
    return x;
  }

  /**
   * Compiles {@code source} with javac in memory and an empty class path (so not even the runtime
   * is visible), and loads it with a loader whose parent is the platform loader and whose resources
   * come from {@code resources}.
   */
  static Class<?> compileWithoutRuntime(String className, String source, Path resources)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path emptyClassPath = Files.createTempDirectory("nnc-empty-classpath");
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileManager files =
        new ForwardingJavaFileManager<>(
            javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            classes.put(name, bytes);
            return new SimpleJavaFileObject(
                URI.create("mem:///" + name.replace('.', '/') + ".class"), kind) {
              @Override
              public OutputStream openOutputStream() {
                return bytes;
              }
            };
          }
        };
    JavaFileObject unit =
        new SimpleJavaFileObject(
            URI.create("string:///" + className.replace('.', '/') + ".java"),
            JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    List<String> options =
        List.of("--release", "17", "-proc:none", "-classpath", emptyClassPath.toString());
    boolean ok = javac.getTask(null, files, diagnostics, options, null, List.of(unit)).call();
    assertThat(diagnostics.getDiagnostics().toString()).isEqualTo("[]");
    assertThat(ok).isTrue();
    ClassLoader loader =
        new ClassLoader(ClassLoader.getPlatformClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            ByteArrayOutputStream bytes = classes.get(name);
            if (bytes == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] b = bytes.toByteArray();
            return defineClass(name, b, 0, b.length);
          }

          @Override
          protected URL findResource(String name) {
            Path file = resources.resolve(name.substring(name.lastIndexOf('/') + 1));
            try {
              return Files.isRegularFile(file) ? file.toUri().toURL() : null;
            } catch (MalformedURLException e) {
              return null;
            }
          }
        };
    try {
      Class<?> type = Class.forName(className, false, loader);
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass(Network.class.getName()));
      return type;
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
