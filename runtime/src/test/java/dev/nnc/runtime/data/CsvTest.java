package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTest {
  @TempDir Path temp;

  private Path write(String name, String text) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void readsInputsAndDenseTargetsSkippingHeaderBlanksAndComments() throws IOException {
    Path file =
        write(
            "data.csv",
            "# made by hand\r\nx1,x2,y\r\n1, 2.5,-3\r\n\r\n# a comment between rows\r\n"
                + ".5,1e-3,+4E2\r\n");
    Dataset data = Csv.read(file, 2, 1, false, false); // header detected
    assertThat(data.source()).isEqualTo("data.csv");
    assertThat(data.rows()).isEqualTo(2);
    assertThat(data.x()).usingExactEquality().containsExactly(1, 2.5, 0.5, 0.001).inOrder();
    assertThat(data.targets()).usingExactEquality().containsExactly(-3, 400).inOrder();
    assertThat(Csv.read(file, 2, 1, false, true).rows()).isEqualTo(2); // told: same result
  }

  @Test
  void toldHeaderSkipsTheFirstLineEvenWhenNumeric() throws IOException {
    Path file = write("h.csv", "1,2\n3,4\n5,6\n");
    assertThat(Csv.read(file, 1, 1, false, true).rows()).isEqualTo(2);
    assertThat(Csv.read(file, 1, 1, false, false).rows()).isEqualTo(3);
  }

  @Test
  void readsLabels() throws IOException {
    Path file = write("labels.csv", "0.1,0.2,3\n0.3,0.4,0\n0.5,0.6,1.0\n");
    Dataset data = Csv.read(file, 2, 0, true, false);
    assertThat(data.labels()).asList().containsExactly(3, 0, 1).inOrder();
    assertThat(data.targetWidth()).isEqualTo(4);
    assertThat(data.targets()).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1,abc,3|data.csv: line 2, field 2: 'abc' is not a number [NN801]|..^~~",
        "1,,3|data.csv: line 2, field 2: '' is not a number [NN801]|..^",
        "1,2,NaN|data.csv: line 2, field 3: 'NaN' is not a finite number [NN801]|....^~~",
        "1,-Infinity,3|data.csv: line 2, field 2: '-Infinity' is not a finite number [NN801]"
            + "|..^~~~~~~~~",
        "0x1p3,2,3|data.csv: line 2, field 1: '0x1p3' is not a number [NN801]|^~~~~",
        "1,2d,3|data.csv: line 2, field 2: '2d' is not a number [NN801]|..^~",
        "1, 2d ,3|data.csv: line 2, field 2: '2d' is not a number [NN801]|...^~",
        "1,2,3f|data.csv: line 2, field 3: '3f' is not a number [NN801]|....^~",
        "1,'2',3|data.csv: line 2, field 2: ''2'' is not a number [NN801]|..^~~",
        "1e999,2,3|data.csv: line 2, field 1: '1e999' is too large for a double [NN801]|^~~~~",
        "1,2|data.csv: line 2: 2 fields, expected 3 (2 inputs, 1 targets) [NN802]|...^",
        "1,2,3,4|data.csv: line 2: 4 fields, expected 3 (2 inputs, 1 targets) [NN802]|.....^~",
      })
  void badRowsNameTheFileLineAndFieldAndPointAtIt(String row, String message, String caret)
      throws IOException {
    Path file = write("data.csv", "7,8,9\n" + row + "\n");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Csv.read(file, 2, 1, false, false));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(message + "\n  " + row + "\n  " + caret.replace('.', ' '));
    assertThat(e.code()).isEqualTo(message.substring(message.length() - 6, message.length() - 1));
  }

  @Test
  void aSemicolonSeparatedFileIsRefusedNamingTheSeparatorNotReadAsAHeader() throws IOException {
    Path file = write("semi.csv", "a;b;c\n1;2;3\n");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Csv.read(file, 2, 1, false, false));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "semi.csv: line 1: the fields are separated by ';' (3 fields; 3 expected), but nnc"
                + " reads comma-separated values: replace the semicolons by commas (and decimal"
                + " commas by points) [NN802]\n"
                + "  a;b;c\n"
                + "   ^");
    Path tabs = write("tabs.csv", "1\t2\t3\n");
    assertThat(
            assertThrows(DataFormatException.class, () -> Csv.read(tabs, 2, 1, false, false))
                .getMessage())
        .startsWith(
            "tabs.csv: line 1: the fields are separated by tabs (3 fields; 3 expected), but nnc"
                + " reads comma-separated values: replace the tabs by commas [NN802]");
  }

  @Test
  void aFileThatIsNotUtf8NamesTheFirstBadByte() throws IOException {
    Path file = temp.resolve("bin.csv");
    byte[] bytes = "1,2,3\n4,5,".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + 3);
    all[bytes.length] = (byte) 0xFF; // never in UTF-8
    all[bytes.length + 1] = '6';
    all[bytes.length + 2] = '\n';
    java.nio.file.Files.write(file, all);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Csv.read(file, 2, 1, false, false));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "bin.csv: byte 10 (line 2), 0xFF, is not UTF-8 text: a CSV file must be text (a"
                + " binary file, or one saved in another encoding such as Latin-1? save it as"
                + " UTF-8) [NN806]");
    // Latin-1 'é' (0xE9) followed by an ASCII byte: a lead byte whose sequence breaks
    java.nio.file.Files.write(
        file, "x\ncaf\u00e9,1,2\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThat(
            assertThrows(DataFormatException.class, () -> Csv.read(file, 2, 1, false, false))
                .getMessage())
        .startsWith("bin.csv: byte 5 (line 2), 0xE9, is not UTF-8 text");
  }

  @Test
  void aBadRowFurtherDownCountsEveryLine() throws IOException {
    Path file = write("data.csv", "a,b,c\n1,2,3\n\n# note\n4,5,6\n7,8,x9\n");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Csv.read(file, 2, 1, false, false));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("data.csv: line 6, field 3: 'x9' is not a number [NN801]\n  7,8,x9\n      ^~");
  }

  @Test
  void labelsMustBeNonNegativeIntegers() throws IOException {
    for (String label : new String[] {"-1", "2.5"}) {
      Path file = write("l.csv", "1,2,0\n1,2," + label + "\n");
      DataFormatException e =
          assertThrows(DataFormatException.class, () -> Csv.read(file, 2, 0, true, false));
      assertThat(e)
          .hasMessageThat()
          .isEqualTo(
              "l.csv: line 2, field 3: '"
                  + label
                  + "' is not a label (a non-negative integer) [NN803]\n  1,2,"
                  + label
                  + "\n      ^"
                  + "~".repeat(label.length() - 1));
    }
  }

  @Test
  void aFileWithoutRowsIsAnError() throws IOException {
    Path file = write("empty.csv", "# nothing\nx,y\n\n");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Csv.read(file, 1, 1, false, false));
    assertThat(e).hasMessageThat().isEqualTo("empty.csv: no data rows [NN805]");
  }

  @Test
  void manyRowsGrowTheArrays() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < 1000; r++) {
      text.append(r).append(',').append(-r).append(',').append(2 * r).append('\n');
    }
    Dataset data = Csv.read(write("big.csv", text.toString()), 2, 1, false, false);
    assertThat(data.rows()).isEqualTo(1000);
    assertThat(data.x()[2 * 999 + 1]).isEqualTo(-999.0);
    assertThat(data.targets()[999]).isEqualTo(1998.0);
  }
}
