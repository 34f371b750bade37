package dev.nnc.cli;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same recipes trained by JVMs of two JDK releases (17 and 25), with the plain-Java and with
 * the Vector API kernels, give the same weights bit for bit: XOR (tanh, sigmoid, binary
 * cross-entropy), Nielsen's 784-30-10 recipe (normal init, sigmoid, shuffled minibatches) on
 * synthetic digits for 2 epochs, and a softmax cross-entropy network trained with Adam. Before nnc
 * had its own elementary functions, XOR's weights differed between 17 and 25 by up to 2.5e-13
 * ({@code Math.tanh} became an intrinsic).
 *
 * <p>The other JDK is {@code -Dnnc.otherJdk=/path/to/jdk}, else Temurin 25 when this JVM is not 25,
 * else a JDK 17 under {@code /usr/lib/jvm}; without one the test is skipped, saying why.
 */
class CrossJdkTest {
  @TempDir static Path folder;

  /** In a child JVM: trains each model given, {@code nnc train model --out DIR/<i>}. */
  public static void main(String[] args) {
    Path out = Path.of(args[0]);
    for (int i = 1; i < args.length; i++) {
      PrintWriter stdout = new PrintWriter(System.out, true);
      PrintWriter stderr = new PrintWriter(System.err, true);
      int code =
          Main.run(
              stdout,
              stderr,
              "train",
              args[i],
              "--out",
              out.resolve(Integer.toString(i)).toString(),
              "--progress",
              "lines",
              "--plot",
              "none");
      if (code != 0) {
        System.exit(code);
      }
    }
  }

  private static Path otherJdk() {
    String given = System.getProperty("nnc.otherJdk");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    if (Runtime.version().feature() != 25) {
      return Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    }
    return Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
  }

  private static List<Path> models() throws IOException {
    Path xor = Path.of("../samples/xor/xor.nn").toAbsolutePath().normalize();
    Rng rng = new Rng(5);
    StringBuilder digits = new StringBuilder();
    for (int r = 0; r < 300; r++) {
      int label = rng.nextInt(10);
      for (int i = 0; i < 784; i++) {
        // a blurry stroke whose place depends on the label, and noise
        double v = (i % 28 == 2 * label + 4 || i / 28 == 2 * label + 4) ? 0.8 : 0.0;
        v += 0.2 * rng.nextDouble();
        digits.append(String.format(Locale.ROOT, "%.4f,", v));
      }
      digits.append(label).append('\n');
    }
    Files.writeString(folder.resolve("digits.csv"), digits, StandardCharsets.UTF_8);
    Path nielsen = folder.resolve("nielsen.nn");
    Files.writeString(
        nielsen,
        """
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
            epochs    2
            seed      1
            data      csv("digits.csv")
        }
        """,
        StandardCharsets.UTF_8);
    Path softmax = folder.resolve("softmax.nn");
    Files.writeString(
        softmax,
        """
        network Softmax {
            input   x[784]
            dense   hidden[25]  tanh
            dense   scores[10]
            label   y
            loss    softmax_cross_entropy(scores, y)
        }
        train {
            optimizer adam(lr = 0.01)
            batch     50 shuffle
            epochs    3
            seed      2
            data      csv("digits.csv")
        }
        """,
        StandardCharsets.UTF_8);
    return List.of(xor, nielsen, softmax);
  }

  private static Path train(Path java, String name, List<Path> models, String... flags)
      throws Exception {
    Path out = folder.resolve(name);
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m"));
    command.addAll(List.of(flags));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), CrossJdkTest.class.getName()));
    command.add(out.toString());
    models.forEach(m -> command.add(m.toString()));
    Path log = folder.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = process.waitFor(600, TimeUnit.SECONDS);
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertWithMessage("%s timed out:\n%s", name, text).that(done).isTrue();
    assertWithMessage("%s failed:\n%s", name, text).that(process.exitValue()).isEqualTo(0);
    return out;
  }

  @Test
  void weightsAreBitIdenticalOnJdk17And25WithEitherKernels() throws Exception {
    Path other = otherJdk().resolve("bin").resolve("java");
    assumeTrue(
        Files.isExecutable(other),
        "no second JDK at " + other + " (set -Dnnc.otherJdk=/path/to/jdk): not compared");
    Path here = Path.of(System.getProperty("java.home"), "bin", "java");
    List<Path> models = models();
    Path plainHere = train(here, "here-plain", models, "-Dnnc.vector=false");
    Path vectorOther =
        train(other, "other-vector", models, "--add-modules", "jdk.incubator.vector");
    Path plainOther = train(other, "other-plain", models, "-Dnnc.vector=false");
    String[] names = {"", "Xor", "Nielsen", "Softmax"};
    for (int i = 1; i <= 3; i++) {
      String file = i + "/" + names[i] + ".npz";
      Map<String, NpyArray> want = Npz.read(plainHere.resolve(file));
      for (Path run : List.of(vectorOther, plainOther)) {
        Map<String, NpyArray> got = Npz.read(run.resolve(file));
        assertWithMessage("%s of %s", file, run.getFileName())
            .that(got.keySet())
            .containsExactlyElementsIn(want.keySet());
        for (String member : want.keySet()) {
          // NpyArray.equals compares the doubles with Arrays.equals: bit for bit
          assertWithMessage(
                  "%s: %s trained by %s (%s) differs from %s (%s)",
                  file, member, other, run.getFileName(), here, "plain")
              .that(got.get(member))
              .isEqualTo(want.get(member));
        }
      }
    }
  }
}
