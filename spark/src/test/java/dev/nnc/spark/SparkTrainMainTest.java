package dev.nnc.spark;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit main class, run in this JVM with --master local[2] on a CSV file. */
class SparkTrainMainTest {
  @TempDir Path temp;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        SparkTrain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path csv(Dataset raw) throws Exception {
    StringBuilder text = new StringBuilder("x0,x1,x2,y\n");
    for (int r = 0; r < raw.rows(); r++) {
      for (int c = 0; c < 3; c++) {
        text.append(raw.x()[3 * r + c]).append(',');
      }
      text.append(raw.labels()[r]).append('\n');
    }
    Path file = temp.resolve("rows.csv");
    Files.writeString(file, text);
    return file;
  }

  /** A written .npz, member by member, as the raw bits of its values. */
  static java.util.Map<String, String> bits(Path npz) throws java.io.IOException {
    var written = new java.util.LinkedHashMap<String, String>();
    for (var member : dev.nnc.runtime.data.Npz.read(npz).entrySet()) {
      StringBuilder text = new StringBuilder(java.util.Arrays.toString(member.getValue().shape()));
      for (double value : member.getValue().data()) {
        text.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(value)));
      }
      written.put(member.getKey(), text.toString());
    }
    return written;
  }

  @Test
  void aNetworkWithDropoutIsRefusedNamingTheLayer() throws Exception {
    Path nn = temp.resolve("drop.nn");
    Files.writeString(
        nn,
        "network Drop {\n  input x[3]\n  dense h[8] relu dropout(0.5)\n  dense out[2]\n"
            + "  label y\n  loss softmax_cross_entropy(out, y)\n}\n"
            + "train {\n  optimizer sgd(lr = 0.1)\n  epochs 2\n}\n");
    Run run = run(nn.toString(), "--master", "local[1]", "--data", nn.toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "drop.nn:3: dense 'h' has dropout, which nnc does not run on Spark yet (the executors"
                + " would need each step's masks); train it with nnc train, without --spark");
    assertThat(run.err()).doesNotContain("Exception");
  }

  @Test
  void writesWhatTheSingleMachineBlocksGive() throws Exception {
    Dataset raw = TestData.raw(2 * 1024 + 120, 3);
    Path data = csv(raw);
    Path out = temp.resolve("out");
    Run run =
        run(
            SparkTrainerTest.NN.toString(),
            "--data",
            data.toString(),
            "--format",
            "csv",
            "--out",
            out.toString(),
            "--epochs",
            "2",
            "--master",
            "local[2]");
    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(0);
    assertThat(run.out()).startsWith("trained Blocks on 2168 rows in 3 blocks of 1024: loss ");
    SparkModel model = SparkModel.compile(SparkTrainerTest.NN);
    SparkTrainingResult local =
        new SparkTrainer(model)
            .config(model.trainConfig().orElseThrow().withEpochs(2))
            .trainLocal(raw);
    Path expected = temp.resolve("expected");
    assertThat(SparkTrainerTest.npz(local, expected))
        .isEqualTo(SparkTrainerTest.npz(local, expected)); // the helper is deterministic
    assertThat(bits(out.resolve("Blocks.npz"))).isEqualTo(SparkTrainerTest.npz(local, expected));
    assertThat(Files.readString(out.resolve("Blocks-history.csv")))
        .isEqualTo(local.history().toCsv());
  }

  @Test
  void badInputExitsWithTwoAndWritesNothing() throws Exception {
    Path data = csv(TestData.raw(40, 3));
    Path out = temp.resolve("out");
    Run run =
        run(
            SparkTrainerTest.NN.toString(),
            "--data",
            data.toString(),
            "--format",
            "csv",
            "--targets",
            "label",
            "--out",
            out.toString(),
            "--master",
            "local[2]");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "nnc-spark: "
                + data
                + ": no column 'label' (the network's label); the columns are x0, x1, x2, y\n");
    assertThat(Files.exists(out)).isFalse();
    Run usage = run(SparkTrainerTest.NN.toString());
    assertThat(usage.status()).isEqualTo(2);
    assertThat(usage.err())
        .isEqualTo(
            "nnc-spark: "
                + SparkTrainerTest.NN
                + " has no data statement: give the rows with --data PATH\n");
    Run unknown = run(SparkTrainerTest.NN.toString(), "--block-rows", "16");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("nnc-spark: unknown option --block-rows\nusage: ");
  }
}
