package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
  @TempDir Path temp;

  /** Three 2×3 images whose pixels are 0..17 (row-major), labels 7, 0, 12. */
  private static final int[] PIXELS = {
    0, 1, 2, 3, 4, 5, //
    6, 7, 8, 9, 10, 11, //
    12, 13, 14, 15, 16, 255
  };

  private static final int[] LABELS = {7, 0, 12};

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void writesAndReadsBackScaledPixelsAndLabels(boolean gzip) throws IOException {
    // Names that lie about the compression: detection goes by the magic bytes.
    Path images = temp.resolve("images.idx");
    Path labels = temp.resolve("labels.gz");
    Idx.write(images, labels, 2, 3, PIXELS, LABELS, gzip);
    assertThat(isGzip(images)).isEqualTo(gzip);

    Dataset data = Idx.read(images, labels, 0.5, 0);
    assertThat(data.source()).isEqualTo("images.idx");
    assertThat(data.rows()).isEqualTo(3);
    assertThat(data.inputWidth()).isEqualTo(6);
    double[] expected = new double[PIXELS.length];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = PIXELS[i] * 0.5;
    }
    assertThat(data.x()).usingExactEquality().containsExactly(expected).inOrder();
    assertThat(data.labels()).asList().containsExactly(7, 0, 12).inOrder();
    assertThat(data.hasLabels()).isTrue();
    assertThat(data.targetWidth()).isEqualTo(13); // classes seen: largest label + 1
  }

  @Test
  void plainFileHasTheExactIdxLayout() throws IOException {
    Path labels = temp.resolve("l");
    Idx.writeLabels(labels, new int[] {3, 255}, false);
    assertThat(Files.readAllBytes(labels))
        .isEqualTo(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 3, (byte) 255});
    Path images = temp.resolve("i");
    Idx.writeImages(images, 1, 2, new int[] {9, 200}, false);
    assertThat(Files.readAllBytes(images))
        .isEqualTo(new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 9, (byte) 200});
  }

  @Test
  void maxRowsReadsOnlyTheFirstRecords() throws IOException {
    Path images = temp.resolve("i.gz");
    Path labels = temp.resolve("l.gz");
    Idx.write(images, labels, 2, 3, PIXELS, LABELS, true);
    Dataset two = Idx.read(images, labels, 1.0, 2);
    assertThat(two.rows()).isEqualTo(2);
    assertThat(two.labels()).asList().containsExactly(7, 0).inOrder();
    assertThat(two.x()).hasLength(12);
    assertThat(two.x()[11]).isEqualTo(11.0);
    assertThat(Idx.read(images, labels, 1.0, 99).rows()).isEqualTo(3);
  }

  @Test
  void wrongMagicNamesTheFileAndBothNumbers() throws IOException {
    Path labels = temp.resolve("train.gz");
    Idx.writeLabels(labels, LABELS, true);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Idx.read(labels, labels, 1, 0));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("train.gz: wrong magic 0x00000801, expected 0x00000803 (images)");

    Path images = temp.resolve("images");
    Idx.writeImages(images, 2, 3, PIXELS, false);
    e = assertThrows(DataFormatException.class, () -> Idx.read(images, images, 1, 0));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("images: wrong magic 0x00000803, expected 0x00000801 (labels)");
  }

  @Test
  void countMismatchNamesBothFilesAndBothCounts() throws IOException {
    Path images = temp.resolve("img.gz");
    Path labels = temp.resolve("lab.gz");
    Idx.writeImages(images, 2, 3, PIXELS, true);
    Idx.writeLabels(labels, new int[] {1, 2}, true);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Idx.read(images, labels, 1, 0));
    assertThat(e).hasMessageThat().isEqualTo("img.gz has 3 images but lab.gz has 2 labels");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void truncatedImagesNameTheRecordAndTheByte(boolean gzip) throws IOException {
    // Header 16 bytes, records of 6: the file stops 2 bytes into record 2.
    byte[] whole = imageBytes(2, 3, PIXELS);
    Path images = temp.resolve("cut");
    Files.write(images, maybeGzip(Arrays.copyOf(whole, 16 + 6 * 2 + 2), gzip));
    Path labels = temp.resolve("labels");
    Idx.writeLabels(labels, LABELS, gzip);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Idx.read(images, labels, 1, 0));
    assertThat(e).hasMessageThat().isEqualTo("cut: truncated: record 2 (image) ends after byte 30");
    // Reading only the records that are there works.
    assertThat(Idx.read(images, labels, 1, 2).rows()).isEqualTo(2);
  }

  @Test
  void truncatedLabelsNameTheRecord() throws IOException {
    Path images = temp.resolve("images");
    Idx.writeImages(images, 2, 3, PIXELS, false);
    Path labels = temp.resolve("labels");
    Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 7});
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Idx.read(images, labels, 1, 0));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("labels: truncated: record 1 (label) ends after byte 9");
  }

  @Test
  void truncatedHeaderAndGzipCutShort() throws IOException {
    Path images = temp.resolve("short");
    Files.write(images, new byte[] {0, 0, 8, 3, 0, 0});
    Path labels = temp.resolve("labels");
    Idx.writeLabels(labels, LABELS, false);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Idx.read(images, labels, 1, 0));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("short: truncated: header (image count) ends after byte 6");

    // A gzip file cut in the middle of its compressed stream (not at an IDX boundary).
    Path whole = temp.resolve("whole.gz");
    Idx.writeImages(whole, 2, 3, PIXELS, true);
    byte[] compressed = Files.readAllBytes(whole);
    Path cut = temp.resolve("cut.gz");
    Files.write(cut, Arrays.copyOf(compressed, compressed.length - 14));
    e = assertThrows(DataFormatException.class, () -> Idx.read(cut, labels, 1, 0));
    assertThat(e).hasMessageThat().startsWith("cut.gz: truncated: ");
  }

  @Test
  void zeroDimensionIsRejected() throws IOException {
    Path images = temp.resolve("flat");
    Files.write(images, new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5});
    Path labels = temp.resolve("labels");
    Idx.writeLabels(labels, new int[] {1}, false);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Idx.read(images, labels, 1, 0));
    assertThat(e).hasMessageThat().isEqualTo("flat: rows is 0, expected ≥ 1");
  }

  @Test
  void writerRefusesValuesThatAreNotUnsignedBytes() {
    Path labels = temp.resolve("l");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Idx.writeLabels(labels, new int[] {1, -1}, false));
    assertThat(e).hasMessageThat().contains("value -1 at index 1");
  }

  private static byte[] imageBytes(int rows, int columns, int[] pixels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] header = {Idx.IMAGES_MAGIC, pixels.length / (rows * columns), rows, columns};
    for (int value : header) {
      out.write(value >>> 24);
      out.write(value >>> 16);
      out.write(value >>> 8);
      out.write(value);
    }
    for (int p : pixels) {
      out.write(p);
    }
    return out.toByteArray();
  }

  private static byte[] maybeGzip(byte[] bytes, boolean gzip) throws IOException {
    if (!gzip) {
      return bytes;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zipped = new GZIPOutputStream(out)) {
      zipped.write(bytes);
    }
    return out.toByteArray();
  }

  private static boolean isGzip(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }
}
