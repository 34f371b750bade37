package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.train.Checkpoint;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc train --checkpoint-every 1} in a separate JVM, killed with SIGKILL ({@link
 * Process#destroyForcibly}) once its checkpoint exists, then {@code --resume}d in another JVM: the
 * final weights and history equal, bit for bit, those of a run that was never interrupted.
 */
class KillAndResumeTest {
  private static final int EPOCHS = 150;

  @TempDir static Path folder;
  private static Path model;

  /** Shuffled minibatches with momentum: the row order, RNG and velocity all must survive. */
  @BeforeAll
  static void writeModelAndData() throws IOException {
    Rng rng = new Rng(11);
    StringBuilder csv = new StringBuilder();
    for (int r = 0; r < 2000; r++) {
      double[] x = new double[16];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextGaussian();
        csv.append(String.format(Locale.ROOT, "%.6f,", x[i]));
      }
      for (int k = 0; k < 4; k++) {
        double t = Math.tanh(x[k] - 0.5 * x[k + 4] + 0.25 * x[k + 8] * x[k + 12]);
        csv.append(String.format(Locale.ROOT, "%.6f", t)).append(k < 3 ? "," : "\n");
      }
    }
    Files.writeString(folder.resolve("rows.csv"), csv, StandardCharsets.UTF_8);
    model = folder.resolve("killme.nn");
    Files.writeString(
        model,
        """
        network Killme {
            input   x[16]
            dense   hidden[48]  tanh
            dense   out[4]
            target  t[4]
            loss    squared_error(out, t)
        }
        train {
            data      csv("rows.csv")
            optimizer sgd(lr = 0.01, momentum = 0.9, decay = 0.99 per epoch)
            batch     25 shuffle
            epochs    %d
            seed      3
        }
        """
            .formatted(EPOCHS),
        StandardCharsets.UTF_8);
  }

  private static Process start(Path out, Path log, String... extra) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.nnc.cli.Main",
                "train",
                model.toString(),
                "--out",
                out.toString(),
                "--progress",
                "lines",
                "--plot",
                "svg"));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  @Test
  void killedRunResumesToTheWeightsOfAnUninterruptedOne() throws Exception {
    Path killed = folder.resolve("killed");
    Path checkpoint = killed.resolve("Killme-checkpoint.npz");
    Path log = folder.resolve("killed.log");
    Process first = start(killed, log, "--checkpoint-every", "1");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(checkpoint) && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertWithMessage("still training when its checkpoint appeared; log:\n%s", read(log))
        .that(first.isAlive())
        .isTrue();
    Thread.sleep(150); // a few more epochs, so the kill may land while a checkpoint is written
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    int epochsWhenKilled = Checkpoint.read(checkpoint).epochsDone();
    assertThat(epochsWhenKilled).isLessThan(EPOCHS);
    assertThat(Files.exists(killed.resolve("Killme.npz"))).isFalse();

    Process second = start(killed, folder.resolve("resumed.log"), "--resume");
    assertWithMessage("resume timed out").that(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String resumedLog = read(folder.resolve("resumed.log"));
    assertWithMessage(resumedLog).that(second.exitValue()).isEqualTo(0);
    assertThat(resumedLog).contains("resuming from " + checkpoint + " after epoch ");

    Path straight = folder.resolve("straight");
    StringWriter out = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "train",
            model.toString(),
            "--out",
            straight.toString(),
            "--progress",
            "lines",
            "--plot",
            "svg");
    assertWithMessage(out.toString()).that(code).isEqualTo(0);

    Map<String, NpyArray> want = Npz.read(straight.resolve("Killme.npz"));
    Map<String, NpyArray> got = Npz.read(killed.resolve("Killme.npz"));
    assertThat(got.keySet()).containsExactlyElementsIn(want.keySet());
    for (String name : want.keySet()) {
      // NpyArray.equals compares every double with Arrays.equals: bit for bit
      assertWithMessage("member %s (killed after epoch %s)", name, epochsWhenKilled)
          .that(got.get(name))
          .isEqualTo(want.get(name));
    }
    assertThat(read(killed.resolve("Killme-history.csv")))
        .isEqualTo(read(straight.resolve("Killme-history.csv")));
  }

  @Test
  void resumeRefusesAnotherRecipeAndAMissingCheckpoint() throws Exception {
    Path out = folder.resolve("short");
    MainTest.Run first =
        MainTest.nnc(
            "train",
            model.toString(),
            "--out",
            out.toString(),
            "--epochs",
            "2",
            "--checkpoint-every",
            "1",
            "--progress",
            "lines",
            "--plot",
            "svg");
    assertWithMessage(first.err()).that(first.code()).isEqualTo(0);

    MainTest.Run otherSeed =
        MainTest.nnc(
            "train",
            model.toString(),
            "--out",
            out.toString(),
            "--resume",
            "--seed",
            "4",
            "--progress",
            "lines");
    assertThat(otherSeed.code()).isEqualTo(2);
    assertThat(otherSeed.err()).contains("Killme-checkpoint.npz was written for another recipe");
    assertThat(otherSeed.err())
        .contains("seed=3, now sgd momentum=0.9 lr=0.01 decay=0.99 batch=25 shuffle seed=4");
    assertThat(otherSeed.err()).doesNotContain("Exception");

    MainTest.Run none =
        MainTest.nnc(
            "train",
            model.toString(),
            "--out",
            folder.resolve("empty").toString(),
            "--resume",
            "--progress",
            "lines");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no checkpoint to resume from");
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file)
        ? Files.readString(file, StandardCharsets.UTF_8)
        : "(no " + file + ")";
  }

  @SuppressWarnings("unused")
  private static String classPathForDebugging() {
    return String.join("\n", System.getProperty("java.class.path").split(File.pathSeparator));
  }
}
