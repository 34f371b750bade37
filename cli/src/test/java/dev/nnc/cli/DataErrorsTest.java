package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.data.Idx;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad data behind a train block: exit code 2, a message naming the file and the record (and the
 * field or member), no stack trace, and nothing written into the output folder.
 */
class DataErrorsTest {
  @TempDir Path temp;

  private static final String NETWORK =
      "network Tiny {\n"
          + "    input  x[4]\n"
          + "    dense  out[3]\n"
          + "    label  y\n"
          + "    loss   softmax_cross_entropy(out, y)\n"
          + "}\n";

  private MainTest.Run train(String dataStatement) throws IOException {
    Path model = temp.resolve("tiny.nn");
    Files.writeString(
        model,
        NETWORK
            + "train {\n    optimizer sgd(lr = 0.1)\n    epochs 2\n    "
            + dataStatement
            + "\n}\n",
        StandardCharsets.UTF_8);
    Path out = temp.resolve("out");
    MainTest.Run run = MainTest.nnc("train", model.toString(), "--out", out.toString());
    if (Files.isDirectory(out)) {
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.map(Path::getFileName).map(Path::toString).toList()).isEmpty();
      }
    }
    assertThat(run.err()).doesNotContain("\tat ");
    assertThat(run.err()).doesNotContain("Exception");
    return run;
  }

  /** Two 2×2 images with labels, written as IDX; then the images file cut short. */
  @Test
  void truncatedIdxNamesTheFileAndTheRecord() throws IOException {
    Path images = temp.resolve("images.idx");
    Path labels = temp.resolve("labels.idx");
    Idx.write(images, labels, 2, 2, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new int[] {0, 2}, false);
    byte[] bytes = Files.readAllBytes(images);
    Files.write(images, Arrays.copyOf(bytes, bytes.length - 3));

    MainTest.Run run = train("data idx(\"images.idx\", \"labels.idx\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("tiny.nn:10:10: error: images.idx: truncated: record 1");
    assertThat(run.err()).contains("images.idx");
    assertThat(run.err()).contains("record 1");
  }

  @Test
  void imageAndLabelCountMismatchNamesBothFiles() throws IOException {
    Path images = temp.resolve("images.idx");
    Path labels = temp.resolve("labels.idx");
    Idx.write(images, labels, 2, 2, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new int[] {0, 2}, false);
    Path moreLabels = temp.resolve("more-labels.idx");
    Path unused = temp.resolve("unused.idx");
    Idx.write(unused, moreLabels, 2, 2, new int[12], new int[] {0, 1, 2}, false);

    MainTest.Run run = train("data idx(\"images.idx\", \"more-labels.idx\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("images.idx");
    assertThat(run.err()).contains("more-labels.idx");
  }

  @Test
  void raggedCsvRowNamesLineAndField() throws IOException {
    Files.writeString(temp.resolve("rows.csv"), "1,2,3,4,0\n5,6,7,1\n", StandardCharsets.UTF_8);

    MainTest.Run run = train("data csv(\"rows.csv\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("rows.csv");
    assertThat(run.err()).contains("line 2");
  }

  @Test
  void nonNumericCsvFieldIsNamed() throws IOException {
    Files.writeString(
        temp.resolve("rows.csv"), "1,2,3,4,0\n5,6,seven,8,1\n", StandardCharsets.UTF_8);

    MainTest.Run run = train("data csv(\"rows.csv\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            temp.resolve("tiny.nn")
                + ":10:10: error: rows.csv: line 2, field 3: 'seven' is not a number [NN801]\n"
                + "  5,6,seven,8,1\n"
                + "      ^~~~~\n");
  }

  @Test
  void aSemicolonSeparatedFileIsNamedAsSuchNotReadAsAHeader() throws IOException {
    Files.writeString(temp.resolve("semi.csv"), "a;b;c;d;y\n1;2;3;4;0\n", StandardCharsets.UTF_8);

    MainTest.Run run = train("data csv(\"semi.csv\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            temp.resolve("tiny.nn")
                + ":10:10: error: semi.csv: line 1: the fields are separated by ';' (5 fields; 5"
                + " expected), but nnc reads comma-separated values: replace the semicolons by"
                + " commas (and decimal commas by points) [NN802]\n"
                + "  a;b;c;d;y\n"
                + "   ^\n");
  }

  @Test
  void aHeaderOfColumnNumbersReadAsDataGetsTheHintAboutHeader() throws IOException {
    // as numpy.savetxt(header=…) or pandas write column numbers: 0..3, then the label column 4
    Files.writeString(temp.resolve("cols.csv"), "0,1,2,3,4\n5,6,7,8,1\n", StandardCharsets.UTF_8);

    MainTest.Run run = train("data csv(\"cols.csv\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            temp.resolve("tiny.nn")
                + ":10:10: error: cols.csv: record 1: label 4 is outside 0..2 (the output has 3"
                + " classes); the first record reads like a header of column numbers (0, 1, 2,"
                + " …): if it is one, write csv(\"…\", header) [NN804]\n");
    // with header, it trains
    Path model = temp.resolve("tiny.nn");
    Files.writeString(
        model, Files.readString(model).replace("csv(\"cols.csv\")", "csv(\"cols.csv\", header)"));
    assertThat(
            MainTest.nnc("train", model.toString(), "--out", temp.resolve("ok").toString()).code())
        .isEqualTo(0);
  }

  @Test
  void aFileThatIsNotTextNamesTheByte() throws IOException {
    Files.write(temp.resolve("bin.csv"), new byte[] {'1', ',', (byte) 0x89, 'P', 'N', 'G'});

    MainTest.Run run = train("data csv(\"bin.csv\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            temp.resolve("tiny.nn")
                + ":10:10: error: bin.csv: byte 2 (line 1), 0x89, is not UTF-8 text: a CSV file"
                + " must be text (a binary file, or one saved in another encoding such as"
                + " Latin-1? save it as UTF-8) [NN806]\n");
  }

  @Test
  void npzMemberWithTheWrongShapeIsNamed() throws IOException {
    Npz.write(
        temp.resolve("data.npz"),
        Map.of(
            "X", NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5}, 5),
            "y", NpyArray.ofInts(new int[] {0}, 1)));

    MainTest.Run run = train("data npz(\"data.npz\", x = \"X\", y = \"y\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("data.npz");
    assertThat(run.err()).contains("'X'");
    assertThat(run.err()).endsWith(" [NN809]\n");
  }

  @Test
  void missingDataFileIsOneClearError() throws IOException {
    MainTest.Run run = train("data csv(\"nowhere.csv\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("nowhere.csv");
    assertThat(run.err())
        .endsWith(
            "nowhere.csv: no such file (paths are relative to the folder of the .nn file)"
                + " [NN808]\n");
  }

  /**
   * The rows are read on a thread of their own from the moment the file is checked (RowsReadAhead);
   * an error the command finds before it needs them still comes alone, and the rows' own error
   * comes once they are needed, as when they were read in turn.
   */
  @Test
  void errorsBeforeTheDataComeFirstAsBefore() throws IOException {
    Path model = temp.resolve("tiny.nn");
    Files.writeString(
        model,
        NETWORK
            + "train {\n    optimizer sgd(lr = 0.1)\n    epochs 2\n"
            + "    data csv(\"nowhere.csv\")\n}\n",
        StandardCharsets.UTF_8);
    String out = temp.resolve("out").toString();

    MainTest.Run epochs = MainTest.nnc("train", model.toString(), "--epochs", "0", "--out", out);
    assertThat(epochs.code()).isEqualTo(2);
    assertThat(epochs.err()).isEqualTo("nnc: --epochs must be at least 1, got 0\n");

    MainTest.Run rows = MainTest.nnc("train", model.toString(), "--epochs", "1", "--out", out);
    assertThat(rows.code()).isEqualTo(2);
    assertThat(rows.out()).isEmpty();
    assertThat(rows.err())
        .endsWith(
            "nowhere.csv: no such file (paths are relative to the folder of the .nn file)"
                + " [NN808]\n");
  }

  @Test
  void labelOutOfRangeNamesTheRecord() throws IOException {
    Files.writeString(temp.resolve("rows.csv"), "1,2,3,4,0\n5,6,7,8,3\n", StandardCharsets.UTF_8);

    MainTest.Run run = train("data csv(\"rows.csv\")");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            temp.resolve("tiny.nn")
                + ":10:10: error: rows.csv: record 2: label 3 is outside 0..2 (the output has 3"
                + " classes) [NN804]\n");
  }
}
