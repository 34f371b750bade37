package dev.nnc.onnx;

import static com.google.common.truth.Truth.assertWithMessage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.data.Weights;
import java.io.IOException;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The fixtures, ONNX Runtime, and nnc's predict side by side. */
final class OnnxTesting {
  private OnnxTesting() {}

  /** {@code testdata/onnx}, found by walking up from the working directory. */
  static Path fixtures() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("testdata/onnx");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "testdata/onnx not found above " + Path.of("").toAbsolutePath());
  }

  static Path fixture(String name) {
    return fixtures().resolve(name + ".onnx");
  }

  static Map<String, NpyArray> io(String name) throws IOException {
    return Npz.read(fixtures().resolve(name + "_io.npz"));
  }

  /** The imported network checked by nnc's own front end. */
  static Model check(ImportedNetwork imported) {
    String text = imported.toNn("net.nn", "net.npz", "test");
    CompileResult result = NnCompiler.compile("net.nn", text);
    assertWithMessage(result.formatDiagnostics() + "\n" + text).that(result.ok()).isTrue();
    return result.model().orElseThrow();
  }

  /**
   * nnc's predict on {@code x} (rows × features, row-major), as the ONNX graph defines the output:
   * for a softmax_cross_entropy network the probabilities, the softmax of predict's scores (unless
   * predict already gives probabilities, as it may for such networks: rows of scores never sum to
   * exactly 1).
   */
  static double[] nncOutputs(Model model, Map<String, NpyArray> weights, double[] x, int rows) {
    CompiledModel compiled = CompiledModel.of(model);
    Network network = compiled.newNetwork(rows);
    network.setParameters(Weights.parameters(weights, "weights.npz", compiled.spec()));
    double[] out = new double[rows * compiled.spec().outputWidth()];
    network.predict(x, rows, out);
    if (model.loss().kind() == Loss.Kind.SOFTMAX_CROSS_ENTROPY
        && !areProbabilities(out, compiled.spec().outputWidth())) {
      softmaxRows(out, compiled.spec().outputWidth());
    }
    return out;
  }

  static boolean areProbabilities(double[] values, int width) {
    for (int r = 0; r < values.length / width; r++) {
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double p = values[r * width + j];
        if (!(p >= 0 && p <= 1)) {
          return false;
        }
        sum += p;
      }
      if (Math.abs(sum - 1) > 1e-9) {
        return false;
      }
    }
    return true;
  }

  /** Each row of {@code values} replaced by its softmax, in place. */
  static void softmaxRows(double[] values, int width) {
    for (int r = 0; r < values.length / width; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < width; j++) {
        max = Math.max(max, values[r * width + j]);
      }
      double sum = 0;
      for (int j = 0; j < width; j++) {
        values[r * width + j] = Math.exp(values[r * width + j] - max);
        sum += values[r * width + j];
      }
      for (int j = 0; j < width; j++) {
        values[r * width + j] /= sum;
      }
    }
  }

  /** Runs {@code model} in ONNX Runtime on one float or double input named {@code input}. */
  static double[] onnxRuntime(byte[] model, String input, double[] x, long[] shape, boolean doubles)
      throws OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession session = environment.createSession(model, new OrtSession.SessionOptions())) {
      OnnxTensor tensor;
      if (doubles) {
        tensor = OnnxTensor.createTensor(environment, DoubleBuffer.wrap(x), shape);
      } else {
        float[] floats = new float[x.length];
        for (int i = 0; i < x.length; i++) {
          floats[i] = (float) x[i];
        }
        tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(floats), shape);
      }
      try (tensor;
          OrtSession.Result result = session.run(Map.of(input, tensor))) {
        OnnxTensor output = (OnnxTensor) result.get(0);
        if (doubles) {
          DoubleBuffer buffer = output.getDoubleBuffer();
          double[] values = new double[buffer.remaining()];
          buffer.get(values);
          return values;
        }
        FloatBuffer buffer = output.getFloatBuffer();
        double[] values = new double[buffer.remaining()];
        for (int i = 0; i < values.length; i++) {
          values[i] = buffer.get();
        }
        return values;
      }
    }
  }

  /** max |actual − expected| / max |expected|: the error relative to the outputs' scale. */
  static double relativeError(double[] actual, double[] expected) {
    assertWithMessage("output sizes").that(actual.length).isEqualTo(expected.length);
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
      scale = Math.max(scale, Math.abs(expected[i]));
    }
    return worst / scale;
  }

  static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
    double error = relativeError(actual, expected);
    assertWithMessage(
            what
                + ": relative error "
                + error
                + "\n actual   "
                + Arrays.toString(Arrays.copyOf(actual, Math.min(8, actual.length)))
                + "\n expected "
                + Arrays.toString(Arrays.copyOf(expected, Math.min(8, expected.length))))
        .that(error)
        .isAtMost(tolerance);
  }
}
