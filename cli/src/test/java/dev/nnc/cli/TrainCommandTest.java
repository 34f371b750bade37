package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static dev.nnc.cli.MainTest.nnc;

import dev.nnc.cli.MainTest.Run;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.parallel.BusyThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train}: lines or bars, the loss curve, and an output folder checked up front. */
class TrainCommandTest {
  private static final String XOR = "../samples/xor/xor.nn";

  @TempDir Path temp;

  @Test
  void sparkWithoutNncSparkOnTheClassPathIsOneClearErrorAndWritesNothing() {
    Path out = temp.resolve("spark");
    Run run = nnc("train", XOR, "--spark", "local[2]", "--out", out.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(SparkLauncher.MISSING + "\n");
    assertThat(run.err()).doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
    assertThat(Files.exists(out)).isFalse();
    Run seed = nnc("train", XOR, "--spark", "local[2]", "--seed", "3");
    assertThat(seed.code()).isEqualTo(2);
    assertThat(seed.err())
        .startsWith("nnc: --seed, --lr, --batch, --optimizer, --threads and --init are not");
    Run data = nnc("train", XOR, "--data", "rows.parquet");
    assertThat(data.code()).isEqualTo(2);
    assertThat(data.err())
        .isEqualTo("nnc: --data, --format and --partitions go with --spark MASTER\n");
  }

  @Test
  void offATerminalItPrintsPlainLinesAndAPngLossCurve() throws IOException {
    Path out = temp.resolve("run");
    Run run = nnc("train", XOR, "--epochs", "40", "--out", out.toString());
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .containsMatch(
            "\\nepoch     1  loss \\d\\.\\d+  lr 0\\.5000  accuracy +\\d+\\.\\d%  f1 \\d\\.\\d{3}  auc \\d\\.\\d{3}\\n");
    assertThat(run.out()).containsMatch("\\nepoch    40  loss ");
    assertThat(run.out()).doesNotContain("\r");
    assertThat(run.out()).contains("wrote " + out.resolve("Xor-loss.png"));
    byte[] png = Files.readAllBytes(out.resolve("Xor-loss.png"));
    assertThat(png.length).isGreaterThan(2_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    assertThat(Files.exists(out.resolve("Xor-loss.svg"))).isFalse();
  }

  @Test
  void aRegressionReportsValidationLossAndRmseInTheTargetsUnitsNeverAnAccuracy()
      throws IOException {
    // y = 100 + 10 x: standardised targets, but the RMSE is printed in y's own units
    StringBuilder train = new StringBuilder();
    StringBuilder held = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      double x = i / 10.0;
      (i % 4 == 0 ? held : train).append(x).append(',').append(100 + 10 * x).append('\n');
    }
    Files.writeString(temp.resolve("train.csv"), train);
    Files.writeString(temp.resolve("held.csv"), held);
    Path model = temp.resolve("line.nn");
    Files.writeString(
        model,
        """
        network Line {
            input   x[1]  standardize(ddof = 0)
            dense   yhat[1]
            target  y[1]  standardize(ddof = 0)
            loss    squared_error(yhat, y) reduce mean
        }
        train {
            optimizer sgd(lr = 0.1)
            batch     full
            epochs    60
            seed      1
            data      csv("train.csv")
            validate  csv("held.csv")
        }
        """);
    Path out = temp.resolve("line");
    Run run = nnc("train", model.toString(), "--out", out.toString(), "--plot", "none");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .containsMatch(
            "\\nepoch     1  loss \\d\\.\\d+  lr 0\\.1000  val_loss \\d\\.\\d+  rmse \\d+\\.?\\d*  mae"
                + " \\d+\\.?\\d*  val_rmse \\d+\\.?\\d*  val_mae \\d+\\.?\\d*\\n");
    assertThat(run.out()).doesNotContain("accuracy");
    List<String> csv = Files.readAllLines(out.resolve("Line-history.csv"));
    assertThat(csv.get(0))
        .isEqualTo(
            "epoch,steps,mean_loss,learning_rate,val_loss,train_rmse,train_mae,val_rmse,val_mae");
    String[] first = csv.get(1).split(",");
    String[] last = csv.get(60).split(",");
    // the untrained line is off by tens of y units; trained, by a fraction of one
    assertThat(Double.parseDouble(first[7])).isGreaterThan(5.0);
    assertThat(Double.parseDouble(last[7])).isLessThan(0.5);
    assertThat(Double.parseDouble(last[4])).isLessThan(Double.parseDouble(first[4]));
  }

  @Test
  void lbfgsCountsIterationsAndSaysWhenItConverged() throws IOException {
    Path model = temp.resolve("quad.nn");
    Files.writeString(
        model,
        """
        network Quad {
            input   x[1]
            dense   yhat[1]
            target  y[1]
            loss    squared_error(yhat, y) reduce mean
        }
        train {
            optimizer lbfgs(iterations = 200)
            batch     full
            seed      1
            data inline {
                x = [[0], [1], [2], [3]]
                y = [[1], [3], [5], [7]]
            }
        }
        """);
    Path out = temp.resolve("quad");
    Run run = nnc("train", model.toString(), "--out", out.toString(), "--plot", "none");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .contains("training Quad (" + model + "): 4 rows, 2 parameters, 200 iterations\n");
    // an exact fit: done long before 200 iterations, said in iterations, not epochs
    assertThat(run.out()).containsMatch("\\nstopped: L-BFGS stopped after \\d of 200 iterations: ");
    assertThat(run.out()).doesNotContain("epochs");
    assertThat(run.out()).doesNotContain("stopped after epoch");
    // every progress line counts iterations too
    assertThat(run.out()).containsMatch("(?m)^iteration     1  cost ");
    assertThat(run.out()).doesNotContainMatch("(?m)^epoch ");
  }

  @Test
  void learningRateAndBatchOverridesAreUsedAndPrintedInTheHeader() throws IOException {
    Path out = temp.resolve("overrides");
    Run run =
        nnc(
            "train",
            XOR,
            "--epochs",
            "3",
            "--lr",
            "0.25",
            "--batch",
            "2",
            "--out",
            out.toString(),
            "--plot",
            "none");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .contains(
            "training Xor (../samples/xor/xor.nn): 4 rows, 17 parameters, 3 epochs, lr 0.25 (--lr),"
                + " batch 2 (--batch)\n");
    // two steps of two rows an epoch, at the new rate
    assertThat(run.out()).containsMatch("\\nepoch     1  loss \\d\\.\\d+  lr 0\\.2500  ");
    List<String> csv = Files.readAllLines(out.resolve("Xor-history.csv"));
    assertThat(csv.get(1)).startsWith("1,2,");

    Run bad = nnc("train", XOR, "--batch", "0", "--out", out.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains("nnc: --batch takes a number of rows (at least 1) or full, got '0'");
    Run rate = nnc("train", XOR, "--lr", "-1", "--out", out.toString());
    assertThat(rate.code()).isEqualTo(2);
    assertThat(rate.err()).contains("nnc: --lr must be a positive, finite learning rate, got -1.0");
  }

  @Test
  void optimizerOverrideReplacesTheTrainBlocksAndIsCheckedAsTheFileIs() throws IOException {
    Path sgd = temp.resolve("sgd");
    Path adam = temp.resolve("adam");
    Run plain = nnc("train", XOR, "--epochs", "20", "--out", sgd.toString(), "--plot", "none");
    Run run =
        nnc(
            "train",
            XOR,
            "--epochs",
            "20",
            "--optimizer",
            "adam(lr = 0.05)",
            "--out",
            adam.toString(),
            "--plot",
            "none");
    assertThat(plain.code()).isEqualTo(0);
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .contains(
            "training Xor (../samples/xor/xor.nn): 4 rows, 17 parameters, 20 epochs, optimizer"
                + " adam(lr = 0.05) (--optimizer)\n");
    assertThat(run.out()).containsMatch("\\nepoch     1  loss \\d\\.\\d+  lr 0\\.05000  ");
    assertThat(Npz.read(adam.resolve("Xor.npz"))).isNotEqualTo(Npz.read(sgd.resolve("Xor.npz")));

    Run positional = nnc("train", XOR, "--optimizer", "adam(0.05)", "--out", adam.toString());
    assertThat(positional.code()).isEqualTo(2);
    assertThat(positional.err())
        .isEqualTo(
            "nnc: --optimizer \"adam(0.05)\": optimizer arguments are named: write adam(lr ="
                + " 0.05) [NN102]\n");
    Run unknown = nnc("train", XOR, "--optimizer", "adamw(lr = 0.05)", "--out", adam.toString());
    assertThat(unknown.err())
        .isEqualTo(
            "nnc: --optimizer \"adamw(lr = 0.05)\": unknown optimizer 'adamw'; expected one of"
                + " sgd, adam, cg, lbfgs [NN302]\n");
    // the file's other statements still hold: lbfgs counts iterations, and XOR says epochs
    Run lbfgs = nnc("train", XOR, "--optimizer", "lbfgs(iterations = 5)", "--out", adam.toString());
    assertThat(lbfgs.code()).isEqualTo(2);
    assertThat(lbfgs.err())
        .isEqualTo(
            "../samples/xor/xor.nn:12:5: error: lbfgs counts iterations, not epochs; remove"
                + " 'epochs' [NN318]\n"
                + "    epochs    2000\n"
                + "    ^~~~~~\n"
                + "(with the optimizer of --optimizer \"lbfgs(iterations = 5)\")\n");
  }

  @Test
  void plotSvgWritesAnSvgAndNoneWritesNoPicture() throws IOException {
    Path svg = temp.resolve("svg");
    Run run = nnc("train", XOR, "--epochs", "20", "--out", svg.toString(), "--plot", "svg");
    assertThat(run.code()).isEqualTo(0);
    String text = Files.readString(svg.resolve("Xor-loss.svg"));
    assertThat(text).contains("<svg");
    assertThat(text.strip()).endsWith("</svg>");
    assertThat(Files.exists(svg.resolve("Xor-loss.png"))).isFalse();

    Path none = temp.resolve("none");
    Run quiet = nnc("train", XOR, "--epochs", "5", "--out", none.toString(), "--plot", "none");
    assertThat(quiet.code()).isEqualTo(0);
    assertThat(Files.exists(none.resolve("Xor.npz"))).isTrue();
    try (var files = Files.list(none)) {
      assertThat(files.filter(f -> f.toString().contains("-loss.")).count()).isEqualTo(0);
    }
  }

  @Test
  void fourThreadsTrainTheSameWeightsBitForBitAsOneUnderLoad() throws IOException {
    // S4: batches of 64 rows, four blocks of 16; three epochs on 1 thread, 4 threads and the
    // automatic count, while busy threads oversubscribe the cores
    String tutorial = "../samples/pytorch-tutorial/tutorial.nn";
    Path one = temp.resolve("one");
    Path four = temp.resolve("four");
    Path auto = temp.resolve("auto");
    Run first;
    Run second;
    Run third;
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      first =
          nnc(
              "train",
              tutorial,
              "--epochs",
              "3",
              "--plot",
              "none",
              "--threads",
              "1",
              "--out",
              one.toString());
      second =
          nnc(
              "train",
              tutorial,
              "--epochs",
              "3",
              "--plot",
              "none",
              "--threads",
              "4",
              "--out",
              four.toString());
      third = nnc("train", tutorial, "--epochs", "3", "--plot", "none", "--out", auto.toString());
    }
    assertThat(first.code()).isEqualTo(0);
    assertThat(second.code()).isEqualTo(0);
    assertThat(third.code()).isEqualTo(0);
    assertThat(first.out())
        .contains("threads: 1 (--threads 1; batches of 64 rows are 4 blocks of 16)");
    assertThat(second.out())
        .contains("threads: 4 (--threads 4; batches of 64 rows are 4 blocks of 16)");
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(third.out())
        .contains(
            "threads: "
                + Math.min(cores, 4)
                + " (auto: "
                + cores
                + (cores == 1 ? " core" : " cores")
                + ", batches of 64 rows are 4 blocks of 16)");
    // NpyArray.equals compares the doubles with Arrays.equals: bit for bit (the files' bytes
    // differ in the zip entries' times)
    var weights = Npz.read(one.resolve("Tutorial.npz"));
    String history = Files.readString(one.resolve("Tutorial-history.csv"));
    for (Path run : new Path[] {four, auto}) {
      assertThat(Npz.read(run.resolve("Tutorial.npz"))).isEqualTo(weights);
      assertThat(Files.readString(run.resolve("Tutorial-history.csv"))).isEqualTo(history);
    }
  }

  @Test
  void threadsAreANumberOrAutoAndUnrolledNetworksSaySoOnOne() {
    for (String bad : new String[] {"0", "-2", "two", ""}) {
      Run run = nnc("train", XOR, "--threads", bad, "--out", temp.toString());
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("--threads is a number ≥ 1 or auto, got '" + bad + "'");
      assertThat(run.out()).doesNotContain("epochs");
      assertThat(run.out()).doesNotContain("stopped after epoch");
    }
    Run xor =
        nnc(
            "train",
            XOR,
            "--epochs",
            "2",
            "--threads",
            "2",
            "--plot",
            "none",
            "--out",
            temp.resolve("xor").toString());
    assertThat(xor.code()).isEqualTo(0);
    assertThat(xor.out())
        .contains(
            "threads: 1 (Xor has only unrolled layers, a step of tens of nanoseconds: it runs on"
                + " one thread)");
    Run big =
        nnc(
            "train",
            "../samples/pytorch-tutorial/tutorial.nn",
            "--epochs",
            "1",
            "--threads",
            "9",
            "--plot",
            "none",
            "--out",
            temp.resolve("nine").toString());
    assertThat(big.code()).isEqualTo(0);
    assertThat(big.out())
        .contains(
            "threads: 9 (--threads 9; batches of 64 rows are 4 blocks of 16: at most 4 threads"
                + " have work)");
  }

  @Test
  void unknownPlotFormatIsAUsageError() {
    Run run = nnc("train", XOR, "--plot", "gif", "--out", temp.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("'gif' is not one of png, svg, none");
    assertThat(run.out()).doesNotContain("epochs");
    assertThat(run.out()).doesNotContain("stopped after epoch");
  }

  @Test
  void progressBarsGoToStandardErrorAndTheLinesStayOut() {
    PrintStream saved = System.err;
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    Run run;
    try {
      System.setErr(new PrintStream(terminal, true, StandardCharsets.UTF_8));
      run = nnc("train", XOR, "--epochs", "30", "--progress", "bar", "--out", temp.toString());
    } finally {
      System.setErr(saved);
    }
    assertThat(run.code()).isEqualTo(0);
    String bars = terminal.toString(StandardCharsets.UTF_8);
    // Full-batch epochs are one step each: one bar over the 30 epochs, with the latest loss.
    assertThat(bars).containsMatch("epochs 100% .*30/30");
    assertThat(bars).contains("100%");
    assertThat(bars).containsMatch("loss \\d\\.\\d+ acc \\d+\\.\\d%");
    assertThat(run.out()).doesNotContainMatch("\\nepoch +\\d+  loss");
    assertThat(run.out()).contains("loss after training:");
  }

  @Test
  void anOutputFolderThatCannotBeWrittenIsReportedBeforeTraining() throws IOException {
    Path file = temp.resolve("a-file");
    Files.writeString(file, "not a folder");
    Run run = nnc("train", XOR, "--out", file.resolve("run").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("nnc: cannot write into " + file.resolve("run"));
    assertThat(run.out()).doesNotContain("epochs");
    assertThat(run.out()).doesNotContain("stopped after epoch");
    assertThat(run.out()).doesNotContain("training Xor");
  }

  @Test
  void badEpochsIsBadInput() {
    Run run = nnc("train", XOR, "--epochs", "0", "--out", temp.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--epochs must be at least 1, got 0");
  }

  @Test
  void stepsPerEpochCountsAsTheTrainer() {
    var config = new dev.nnc.runtime.TrainConfig(0.1, 1, 10, true, false, 3, 0, 1);
    assertThat(TrainProgress.stepsPerEpoch(config, 95)).isEqualTo(10);
    var replacement = new dev.nnc.runtime.TrainConfig(0.1, 1, 10, false, true, 3, 0, 1);
    assertThat(TrainProgress.stepsPerEpoch(replacement, 95)).isEqualTo(9);
    var full = new dev.nnc.runtime.TrainConfig(0.1, 1, 0, false, false, 3, 0, 1);
    assertThat(TrainProgress.stepsPerEpoch(full, 95)).isEqualTo(1);
  }
}
