package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data larger than the heap is refused before it is read, naming what it needs, what the JVM has
 * and how to give it more; the value counts come from the files' headers (an npz member's size and
 * dtype, an IDX file's length, gzipped or not).
 */
class DataMemoryTest {
  @TempDir Path temp;

  @Test
  void dataLargerThanTheHeapIsRefusedWithBothSizesAndTheRemedy() {
    // 20 million rows × 3 values: 60 M values, 960 MB with the preprocessed copy
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> DataMemory.check("big.npz", 60_000_000L, 700L << 20, 1L << 30));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "big.npz: its 60,000,000 values need about 915 MB of heap (as doubles, and a"
                + " preprocessed copy), but the JVM may use at most 1,024 MB, 700 MB of it free;"
                + " give it more with NNC_JAVA_OPTS=-Xmx2g (java -Xmx… for your own program)"
                + " [NN807]");
    assertThat(e.code()).isEqualTo("NN807");
    // what fits passes
    DataMemory.check("small.npz", 1_000_000L, 700L << 20, 1L << 30);
  }

  @Test
  void countsTheValuesOfAnNpzFromItsMembersHeaders() throws IOException {
    Path file = temp.resolve("d.npz");
    Map<String, NpyArray> members = new LinkedHashMap<>();
    members.put("x", NpyArray.ofDoubles(new double[1200], 400, 3));
    members.put("y", NpyArray.ofDoubles(new double[400], 400));
    Npz.write(file, members);
    // headers add a few values' worth of bytes: at least the 1,600 values, and not a row more
    assertThat(DataMemory.npzValues(file)).isAtLeast(1600L);
    assertThat(DataMemory.npzValues(file)).isAtMost(1600L + 2 * 128 / 8);
  }

  @Test
  void countsTheBytesOfAnIdxFileGzippedOrNot() throws IOException {
    byte[] pixels = new byte[100_016];
    Path plain = temp.resolve("images.idx");
    Files.write(plain, pixels);
    assertThat(DataMemory.idxValues(plain)).isEqualTo(100_016L);
    Path zipped = temp.resolve("images.idx.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(zipped))) {
      out.write(pixels);
    }
    assertThat(Files.size(zipped)).isLessThan(10_000L);
    assertThat(DataMemory.idxValues(zipped)).isEqualTo(100_016L);
  }
}
