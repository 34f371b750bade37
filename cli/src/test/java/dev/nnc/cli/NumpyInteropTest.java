package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static dev.nnc.cli.MainTest.nnc;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.cli.MainTest.Run;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights move between nnc and numpy: what {@code nnc train} writes is an {@code np.savez} archive
 * byte for byte (checked without numpy), {@code np.load} reads it, and weights numpy saves predict
 * in nnc. The tests that run numpy skip when python3 with numpy is not installed.
 */
class NumpyInteropTest {
  private static final String XOR = "../samples/xor/xor.nn";

  @TempDir static Path trained;
  @TempDir Path temp;

  @BeforeAll
  static void trainXor() {
    Run run = nnc("train", XOR, "--epochs", "50", "--out", trained.toString(), "--plot", "none");
    assertThat(run.code()).isEqualTo(0);
  }

  @Test
  void trainedWeightsAreNpyVersion1MembersOfAStoredZip() throws IOException {
    Path file = trained.resolve("Xor.npz");
    Map<String, NpyArray> read = Npz.read(file);
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        names.add(entry.getName());
        assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED); // as np.savez
        byte[] bytes = zip.getInputStream(entry).readAllBytes();
        assertThat(bytes[0] & 0xFF).isEqualTo(0x93);
        assertThat(new String(bytes, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        assertThat(bytes[6]).isEqualTo((byte) 1); // format 1.0
        assertThat(bytes[7]).isEqualTo((byte) 0);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8; // little-endian uint16
        int dataStart = 10 + headerLength;
        assertThat(dataStart % 64).isEqualTo(0);
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertThat(header).endsWith("\n");
        String key = entry.getName().substring(0, entry.getName().length() - 4);
        NpyArray array = read.get(key);
        assertThat(header)
            .startsWith(
                "{'descr': '<f8', 'fortran_order': False, 'shape': " + array.shapeText() + ", }");
        assertThat(header.strip()).endsWith("}");
        // the values: little-endian doubles, C order, as the reader returns them
        ByteBuffer data =
            ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
                .order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[(bytes.length - dataStart) / 8];
        data.asDoubleBuffer().get(values);
        assertThat(values).usingExactEquality().containsExactly(array.data()).inOrder();
      }
    }
    assertThat(names)
        .containsExactly("hidden.W.npy", "hidden.b.npy", "out.W.npy", "out.b.npy")
        .inOrder();
    assertThat(read.get("hidden.W").shape()).isEqualTo(new int[] {2, 4});
    assertThat(read.get("out.b").shape()).isEqualTo(new int[] {1});
  }

  @Test
  void numpyLoadsWhatNncTrainWrites() throws Exception {
    assumeTrue(numpyAvailable(), "python3 with numpy is not installed");
    Path file = trained.resolve("Xor.npz");
    String out =
        python(
            "import numpy as np, sys",
            "d = np.load(sys.argv[1])",
            "for k in d.files: print(k, d[k].dtype.str, d[k].shape, ' '.join(repr(float(v)) for v in d[k].ravel()))",
            file.toString());
    Map<String, NpyArray> read = Npz.read(file);
    List<String> lines = out.strip().lines().toList();
    assertThat(lines).hasSize(read.size());
    int i = 0;
    for (var entry : read.entrySet()) {
      NpyArray array = entry.getValue();
      String[] parts = lines.get(i++).split(" ");
      assertThat(parts[0]).isEqualTo(entry.getKey());
      assertThat(parts[1]).isEqualTo("<f8");
      String[] values = lines.get(i - 1).substring(lines.get(i - 1).indexOf(") ") + 2).split(" ");
      assertThat(values).hasLength(array.size());
      for (int k = 0; k < values.length; k++) {
        assertThat(Double.parseDouble(values[k])).isEqualTo(array.data()[k]);
      }
    }
  }

  @Test
  void weightsSavedByNumpyPredictInNnc() throws Exception {
    assumeTrue(numpyAvailable(), "python3 with numpy is not installed");
    Path weights = temp.resolve("numpy.npz");
    Path inputs = temp.resolve("inputs.npz");
    String expected =
        python(
            "import numpy as np, sys",
            "rng = np.random.default_rng(7)",
            "W1, b1, W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=4), rng.normal(size=(4, 1)), rng.normal(size=1)",
            "np.savez(sys.argv[1], W1, b1, W2, b2)", // positional: arr_0 … arr_3
            "X = rng.uniform(-1, 1, size=(6, 2))",
            "np.savez_compressed(sys.argv[2], x=X)",
            "out = 1 / (1 + np.exp(-(np.tanh(X @ W1 + b1) @ W2 + b2)))",
            "print(' '.join(repr(float(v)) for v in out.ravel()))",
            weights.toString(),
            inputs.toString());
    Run run =
        nnc(
            "predict",
            XOR,
            "--weights",
            weights.toString(),
            "--map",
            "positional",
            "--data",
            inputs.toString());
    assertThat(run.code()).isEqualTo(0);
    List<String> lines = run.out().strip().lines().toList();
    String[] values = expected.strip().split(" ");
    assertThat(lines).hasSize(values.length + 1);
    for (int r = 0; r < values.length; r++) {
      double numpy = Double.parseDouble(values[r]);
      // row,class,t_0: the class, then the probability
      assertThat(Double.parseDouble(lines.get(r + 1).split(",")[2])).isWithin(1e-5).of(numpy);
    }
  }

  static boolean numpyAvailable() {
    try {
      Process process =
          new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs the script lines (all but the trailing arguments that are paths) with python3. */
  private static String python(String... linesThenArguments) throws Exception {
    List<String> script = new ArrayList<>();
    List<String> arguments = new ArrayList<>();
    for (String part : linesThenArguments) {
      (part.startsWith("/") ? arguments : script).add(part);
    }
    List<String> command = new ArrayList<>(List.of("python3", "-c", String.join("\n", script)));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(0);
    return output;
  }
}
