package dev.nnc.spark;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.cli.Main;
import dev.nnc.pipeline.DataLoading;
import dev.nnc.runtime.data.Dataset;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc train MODEL.nn --spark local[2]} with nnc-spark and Spark on the class path: the rows
 * of the file's data statement trained on Spark, the .npz and history of the single-machine run
 * with the same blocks, and the loss curve as {@code nnc train} draws it.
 */
class NncTrainSparkTest {
  @TempDir Path temp;

  @Test
  void nncTrainWithSparkWritesTheSingleMachineBlocksWeightsHistoryAndPlot() throws Exception {
    Dataset raw = TestData.raw(2 * 1024 + 120, 3);
    StringBuilder csv = new StringBuilder();
    for (int r = 0; r < raw.rows(); r++) {
      for (int c = 0; c < 3; c++) {
        csv.append(raw.x()[3 * r + c]).append(',');
      }
      csv.append(raw.labels()[r]).append('\n');
    }
    Files.writeString(temp.resolve("rows.csv"), csv);
    String text =
        Files.readString(SparkTrainerTest.NN)
            .replace("    seed      7\n", "    seed      7\n    data      csv(\"rows.csv\")\n")
            .replace("epochs    3", "epochs    2");
    Path nn = temp.resolve("blocks.nn");
    Files.writeString(nn, text);
    Path out = temp.resolve("out");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(stdout),
            new PrintWriter(stderr),
            "train",
            nn.toString(),
            "--spark",
            "local[2]",
            "--out",
            out.toString());
    assertThat(stderr.toString()).isEmpty();
    assertThat(code).isEqualTo(0);
    assertThat(stdout.toString()).startsWith("trained Blocks on 2168 rows in 3 blocks of 1024:");
    assertThat(stdout.toString()).contains("wrote " + out.resolve("Blocks-loss.png"));
    assertThat(Files.size(out.resolve("Blocks-loss.png"))).isGreaterThan(2_000L);

    SparkModel model = SparkModel.compile(nn);
    Dataset loaded = DataLoading.rows(model.model(), nn).orElseThrow().training();
    SparkTrainingResult local = new SparkTrainer(model).trainLocal(loaded);
    assertThat(local.history().epochs()).hasSize(2);
    assertThat(SparkTrainMainTest.bits(out.resolve("Blocks.npz")))
        .isEqualTo(SparkTrainerTest.npz(local, temp.resolve("local")));
    assertThat(Files.readString(out.resolve("Blocks-history.csv")))
        .isEqualTo(local.history().toCsv());
  }
}
