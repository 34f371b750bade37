package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.nnc.cli.MainTest.nnc;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.cli.MainTest.Run;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * check, explain, predict and train without picocli: the same fields as picocli's parse, the same
 * output, everything unusual left to picocli, and no picocli class needed.
 */
class QuickDispatchTest {
  private static final String XOR = "../samples/xor/xor.nn";

  @TempDir static Path folder;
  private static String weights;
  private static String rows;
  private static String points;

  @BeforeAll
  static void trainXor() throws IOException {
    Run run = nnc("train", XOR, "--out", folder.toString(), "--plot", "none", "--epochs", "300");
    assertThat(run.code()).isEqualTo(0);
    weights = folder.resolve("Xor.npz").toString();
    rows = Files.writeString(folder.resolve("xor.csv"), "0,0,0\n0,1,1\n1,0,1\n1,1,0\n").toString();
    points = Files.writeString(folder.resolve("points.csv"), "0,0\n0,1\n1,0\n").toString();
  }

  /** The command object picocli makes of {@code args} (the subcommand's, with its fields set). */
  private static Object picocliCommand(String... args) {
    CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
    return parsed.subcommand().commandSpec().userObject();
  }

  private static List<Object> fields(PredictCommand c) {
    return Arrays.asList(
        c.file,
        c.weights,
        c.map,
        c.data,
        c.labels,
        c.inputMember,
        c.targetMember,
        c.scale,
        c.header,
        c.logits,
        c.limit);
  }

  @Test
  void predictsFieldsAreTheOnesPicocliSets() {
    List<String[]> forms =
        List.of(
            new String[] {"predict", XOR, "--weights", weights, "--data", rows},
            new String[] {"predict", "--weights", weights, XOR, "--data=" + rows},
            new String[] {"predict", "--data", rows, "--weights=" + weights, XOR, "--logits"},
            new String[] {
              "predict",
              XOR,
              "--weights",
              weights,
              "--data",
              rows,
              "--limit",
              "3",
              "--header",
              "--scale",
              "0.00392156862745098",
              "--map",
              "positional",
              "--x",
              "X",
              "--y=y",
              "--labels",
              rows
            },
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--scale=2e-3"});
    for (String[] form : forms) {
      PredictCommand quick = QuickDispatch.predict(form);
      assertWithMessage(String.join(" ", form)).that(quick).isNotNull();
      assertWithMessage(String.join(" ", form))
          .that(fields(quick))
          .isEqualTo(fields((PredictCommand) picocliCommand(form)));
    }
  }

  @Test
  void everythingUnusualIsLeftToPicocli() {
    List<String[]> forms =
        List.of(
            new String[] {"predict", XOR, "--weights", weights},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--limit=-1"},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--limit", "-1"},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--limit", "0x10"},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--scale", "1."},
            new String[] {
              "predict", XOR, "--weights", weights, "--weights", weights, "--data", rows
            },
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--header=true"},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--frobnicate"},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "-h"},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--help"},
            new String[] {"predict", XOR, XOR, "--weights", weights, "--data", rows},
            new String[] {"predict", "@" + rows, "--weights", weights, "--data", rows},
            new String[] {"predict", XOR, "--weights", weights, "--data", "missing.csv"},
            new String[] {"predict", XOR, "--weights", weights, "--data="},
            new String[] {"predict", XOR, "--", "--weights", weights, "--data", rows},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--map"},
            new String[] {"predict", "missing.nn", "--weights", weights, "--data", rows});
    for (String[] form : forms) {
      assertWithMessage(String.join(" ", form)).that(QuickDispatch.predict(form)).isNull();
    }
    for (String[] form :
        List.of(
            new String[] {"check"},
            new String[] {"check", "missing.nn"},
            new String[] {"check", XOR, "--help"},
            new String[] {"check", "-h"},
            new String[] {"explain", XOR, XOR},
            new String[] {"train", XOR, "--spark", "local[1]"},
            new String[] {"train", XOR, "--help"},
            new String[] {"train", "missing.nn"},
            new String[] {"--version"})) {
      assertWithMessage(String.join(" ", form))
          .that(QuickDispatch.run(new PrintWriter(new StringWriter()), null, form))
          .isEqualTo(QuickDispatch.NOT_MINE);
    }
  }

  private static List<Object> fields(TrainCommand c) {
    return Arrays.asList(
        c.file,
        c.epochs,
        c.seed,
        c.learningRate,
        c.optimizer,
        c.batch,
        c.outDirectory,
        c.plot,
        c.progress,
        c.checkpointEvery,
        c.threads,
        c.init,
        c.sparkMaster,
        c.sparkData,
        c.sparkFormat,
        c.sparkPartitions,
        c.resume);
  }

  @Test
  void trainsFieldsAreTheOnesPicocliSets() {
    List<String[]> forms =
        List.of(
            new String[] {"train", XOR},
            new String[] {"train", "--plot", "none", XOR},
            new String[] {"train", XOR, "--plot=SVG", "--progress", "lines", "--epochs", "007"},
            new String[] {
              "train",
              XOR,
              "--epochs=30",
              "--seed",
              "123456789012",
              "--lr",
              "0.5e-1",
              "--optimizer",
              "adam(lr = 0.001)",
              "--batch",
              "full",
              "--out",
              "runs/x",
              "--plot",
              " png ",
              "--progress=bar",
              "--checkpoint-every",
              "5",
              "--threads",
              "2",
              "--init",
              "w.npz",
              "--resume"
            },
            new String[] {"train", XOR, "--threads=auto", "--batch=4", "--lr=3"},
            new String[] {"train", XOR, "--epochs", "0"});
    for (String[] form : forms) {
      TrainCommand quick = QuickDispatch.train(form);
      assertWithMessage(String.join(" ", form)).that(quick).isNotNull();
      assertWithMessage(String.join(" ", form))
          .that(fields(quick))
          .isEqualTo(fields((TrainCommand) picocliCommand(form)));
    }
  }

  @Test
  void unusualTrainFormsAreLeftToPicocli() {
    List<String[]> forms =
        List.of(
            new String[] {"train"},
            new String[] {"train", "missing.nn"},
            new String[] {"train", XOR, XOR},
            new String[] {"train", XOR, "--help"},
            new String[] {"train", XOR, "-h"},
            new String[] {"train", XOR, "--version"},
            new String[] {"train", XOR, "--spark", "local[2]"},
            new String[] {"train", XOR, "--data", "rows.parquet"},
            new String[] {"train", XOR, "--partitions=4"},
            new String[] {"train", XOR, "--epochs", "-1"},
            new String[] {"train", XOR, "--epochs", "0x10"},
            new String[] {"train", XOR, "--epochs", "5", "--epochs", "6"},
            new String[] {"train", XOR, "--epochs"},
            new String[] {"train", XOR, "--seed", "-3"},
            new String[] {"train", XOR, "--lr", "1."},
            new String[] {"train", XOR, "--plot", "jpeg"},
            new String[] {"train", XOR, "--progress", "dots"},
            new String[] {"train", XOR, "--threads", "0"},
            new String[] {"train", XOR, "--threads", "many"},
            new String[] {"train", XOR, "--resume=true"},
            new String[] {"train", XOR, "--out="},
            new String[] {"train", XOR, "--out", "@dir"},
            new String[] {"train", XOR, "--", "--epochs", "3"},
            new String[] {"train", XOR, "--frobnicate"},
            new String[] {"train", "@" + rows});
    for (String[] form : forms) {
      assertWithMessage(String.join(" ", form)).that(QuickDispatch.train(form)).isNull();
    }
  }

  @Test
  void trainsTheSameBitsAsThroughPicocli() throws IOException {
    Path out = folder.resolve("train-out");
    String[] form = {
      "train", XOR, "--out", out.toString(), "--plot", "none", "--epochs", "200", "--seed", "3"
    };
    Run quick = nnc(form);
    byte[] quickWeights = Files.readAllBytes(out.resolve("Xor.npz"));
    Files.delete(out.resolve("Xor.npz"));
    Run picocli = viaPicocli(form);
    assertThat(quick.code()).isEqualTo(0);
    assertThat(quick).isEqualTo(picocli);
    assertThat(Files.readAllBytes(out.resolve("Xor.npz"))).isEqualTo(quickWeights);
    // the errors of a run that gets as far as the command are the same too
    String[] zeroEpochs = {"train", XOR, "--out", out.toString(), "--epochs", "0"};
    assertThat(nnc(zeroEpochs)).isEqualTo(viaPicocli(zeroEpochs));
    assertThat(nnc(zeroEpochs).code()).isEqualTo(Main.BAD_INPUT);
  }

  private static Run viaPicocli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.runWithPicocli(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theSameOutputAsThroughPicocli() throws IOException {
    Path empty = Files.writeString(folder.resolve("empty.nn"), "network {");
    for (String[] form :
        List.of(
            new String[] {"check", XOR},
            new String[] {"check", "../samples/nielsen/nielsen.nn"},
            new String[] {"check", empty.toString()},
            new String[] {"explain", XOR},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows, "--limit", "2"},
            new String[] {"predict", XOR, "--weights", weights, "--data", points},
            new String[] {"predict", XOR, "--weights", weights, "--data", points, "--logits"})) {
      Run quick = nnc(form);
      Run picocli = viaPicocli(form);
      assertWithMessage(String.join(" ", form)).that(quick).isEqualTo(picocli);
    }
    assertThat(nnc("check", empty.toString()).code()).isEqualTo(Main.BAD_INPUT);
    assertThat(nnc("predict", XOR, "--weights", weights, "--data", points, "--logits").err())
        .contains("--logits needs a softmax_cross_entropy network");
  }

  /** Main.run in a class loader that has every class of the test's class path but picocli's. */
  private static Run withoutPicocli(String... args) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), platform) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("picocli.")) {
              throw new ClassNotFoundException(name + " (hidden from this test)");
            }
            return super.loadClass(name, resolve);
          }
        }) {
      Class<?> main = loader.loadClass(Main.class.getName());
      assertThat(main).isNotSameInstanceAs(Main.class);
      Method run = main.getMethod("run", PrintWriter.class, PrintWriter.class, String[].class);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Object code =
          run.invoke(null, new PrintWriter(out, true), new PrintWriter(err, true), (Object) args);
      return new Run((Integer) Objects.requireNonNull(code), out.toString(), err.toString());
    }
  }

  @Test
  void checkExplainPredictAndTrainNeedNoPicocliClass() throws Exception {
    for (String[] form :
        List.of(
            new String[] {"check", XOR},
            new String[] {"explain", XOR},
            new String[] {"predict", XOR, "--weights", weights, "--data", rows},
            new String[] {
              "train",
              XOR,
              "--out",
              folder.resolve("no-picocli").toString(),
              "--plot",
              "none",
              "--epochs",
              "20"
            })) {
      assertWithMessage(String.join(" ", form)).that(withoutPicocli(form)).isEqualTo(nnc(form));
    }
    // and the loader does hide picocli: the help needs it
    InvocationTargetException help =
        assertThrows(InvocationTargetException.class, () -> withoutPicocli("check", "--help"));
    assertThat(help.getCause()).isInstanceOf(NoClassDefFoundError.class);
  }
}
