package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static dev.nnc.cli.MainTest.nnc;

import dev.nnc.cli.MainTest.Run;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc train --init}: fine-tuning keeps the standardisation the weights were trained with.
 */
class TrainInitTest {
  private static final String NETWORK =
      """
      network Fit {
          input   x[2]  standardize(ddof = 0)
          dense   hidden[4]  tanh
          dense   out[1]
          target  y[1]
          loss    squared_error(out, y)
      }
      train {
          optimizer sgd(lr = 0.05)
          batch     full
          epochs    5
          seed      1
          data npz("data.npz", x = "X", y = "Y")
      }
      """;

  @TempDir Path temp;

  @Test
  void theSavedStandardisationIsKeptNotRefitted() throws IOException {
    Path nn = temp.resolve("fit.nn");
    Files.writeString(nn, NETWORK);
    writeData(0);
    Run first =
        nnc("train", nn.toString(), "--plot", "none", "--out", temp.resolve("a").toString());
    assertThat(first.code()).isEqualTo(0);
    Path weights = temp.resolve("a/Fit.npz");
    double[] savedMean = Npz.read(weights).get("x.mean").data();

    writeData(100); // new data, far from the first: refitting would move the means by 100
    Run tuned =
        nnc(
            "train",
            nn.toString(),
            "--init",
            weights.toString(),
            "--plot",
            "none",
            "--out",
            temp.resolve("b").toString());
    assertThat(tuned.err()).isEmpty();
    assertThat(tuned.out())
        .contains("starting from the weights and the standardisation of " + weights);
    assertThat(Npz.read(temp.resolve("b/Fit.npz")).get("x.mean").data()).isEqualTo(savedMean);

    Run fresh =
        nnc("train", nn.toString(), "--plot", "none", "--out", temp.resolve("c").toString());
    assertThat(fresh.code()).isEqualTo(0);
    assertThat(Npz.read(temp.resolve("c/Fit.npz")).get("x.mean").data()[0])
        .isWithin(1e-9)
        .of(savedMean[0] + 100);
  }

  @Test
  void weightsThatDoNotFitAreRefusedBeforeTraining() throws IOException {
    Path nn = temp.resolve("fit.nn");
    Files.writeString(nn, NETWORK);
    writeData(0);
    Map<String, NpyArray> wrong = new LinkedHashMap<>();
    wrong.put("hidden.W", NpyArray.ofDoubles(new double[6], 3, 2));
    Npz.write(temp.resolve("wrong.npz"), wrong);
    Run run = nnc("train", nn.toString(), "--init", temp.resolve("wrong.npz").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "nnc: --init wrong.npz: member 'hidden.W': shape (3, 2), the network needs (2, 4)\n");
  }

  private void writeData(double shift) throws IOException {
    int rows = 8;
    double[] x = new double[rows * 2];
    double[] y = new double[rows];
    for (int r = 0; r < rows; r++) {
      x[2 * r] = shift + r;
      x[2 * r + 1] = shift - 0.5 * r;
      y[r] = Math.sin(r);
    }
    Map<String, NpyArray> data = new LinkedHashMap<>();
    data.put("X", NpyArray.ofDoubles(x, rows, 2));
    data.put("Y", NpyArray.ofDoubles(y, rows, 1));
    Npz.write(temp.resolve("data.npz"), data);
  }
}
