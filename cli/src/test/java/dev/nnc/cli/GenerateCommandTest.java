package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
  static final String XOR =
      """
      network Xor {
          input   x[2]
          dense   hidden[4]  tanh
          dense   out[1]     sigmoid
          target  t[1]
          loss    binary_cross_entropy(out, t)
      }
      train {
          optimizer sgd(lr = 0.5)
          epochs    20
          data inline {
              x = [[0, 0], [0, 1], [1, 0], [1, 1]]
              t = [[0], [1], [1], [0]]
          }
      }
      """;

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

  static Run nnc(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path write(String relative, String text) throws IOException {
    Path file = temp.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aSourceRootGivesPackagesFromFoldersAndASecondRunIsUpToDate() throws IOException {
    write("nn/com/acme/Xor.nn", XOR);
    Path out = temp.resolve("gen");
    Run first =
        nnc("generate", "--source-root", temp.resolve("nn").toString(), "-d", out.toString());
    Path java = out.resolve("com/acme/Xor.java").toAbsolutePath();
    assertThat(first.err()).isEmpty();
    assertThat(first.out()).isEqualTo("wrote " + java + "\n");
    Files.setLastModifiedTime(java, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Run second =
        nnc("generate", "--source-root", temp.resolve("nn").toString(), "-d", out.toString());
    assertThat(second.out()).isEqualTo("up to date: " + java + "\n");
    Run forced =
        nnc(
            "generate",
            "--force",
            "--source-root",
            temp.resolve("nn").toString(),
            "-d",
            out.toString());
    assertThat(forced.out()).isEqualTo("wrote " + java + "\n");
  }

  @Test
  void aBadFilePrintsTheDiagnosticAndExitsTwo() throws IOException {
    Path bad = write("Bad.nn", XOR.replace("tanh", "tahn"));
    Run run = nnc("generate", bad.toString(), "-d", temp.resolve("gen").toString());
    assertThat(run.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).startsWith(bad + ":3:");
    assertThat(run.err()).contains("error:");
    assertThat(run.err()).endsWith("nnc: 1 error\n");
    assertThat(Files.exists(temp.resolve("gen"))).isFalse();
  }

  @Test
  void inferenceWithTrainedWeightsWritesTheClassAndItsResource() throws IOException {
    Path nn = write("xor.nn", XOR);
    Path runs = temp.resolve("runs");
    assertThat(nnc("train", nn.toString(), "--out", runs.toString()).code()).isEqualTo(0);
    Path out = temp.resolve("gen");
    Run run =
        nnc(
            "generate",
            nn.toString(),
            "--inference",
            "--weights",
            runs.resolve("Xor.npz").toString(),
            "-d",
            out.toString(),
            "-p",
            "com.acme");
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isEqualTo(0);
    assertThat(Files.readString(out.resolve("com/acme/Xor.java")))
        .contains("public static double[] predict(double[] x, int rows)");
    assertThat(Files.exists(out.resolve("com/acme/Xor.npz"))).isTrue();
  }

  @Test
  void inferenceWithoutWeightsIsBadUsage() throws IOException {
    Path nn = write("xor.nn", XOR);
    Run run = nnc("generate", nn.toString(), "--inference");
    assertThat(run.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).contains("--inference and --weights go together");
  }

  @Test
  void weightsOfAnotherNetworkAreRefusedNamingTheMember() throws IOException {
    Path other =
        write(
            "other/xor.nn",
            XOR.replace("x[2]", "x[3]")
                .replace(
                    "[[0, 0], [0, 1], [1, 0], [1, 1]]",
                    "[[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 0]]"));
    Path runs = temp.resolve("runs");
    Run trained = nnc("train", other.toString(), "--out", runs.toString());
    assertThat(trained.err()).isEmpty();
    Path nn = write("xor.nn", XOR);
    Run run =
        nnc(
            "generate",
            nn.toString(),
            "--inference",
            "--weights",
            runs.resolve("Xor.npz").toString(),
            "-d",
            temp.resolve("gen").toString());
    assertThat(run.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err())
        .isEqualTo(
            "Xor.npz: member 'hidden.W': shape (3, 4), the network needs (2, 4)\nnnc: 1 error\n");
  }
}
