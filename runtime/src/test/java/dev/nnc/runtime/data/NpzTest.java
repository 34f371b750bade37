package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Oracle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
  @TempDir Path temp;

  @Test
  void readsEveryOracleFileAndItsManifestShapes() throws IOException {
    String manifest = Files.readString(Oracle.folder().resolve("manifest.json"));
    int files = 0;
    int arrays = 0;
    try (Stream<Path> list = Files.list(Oracle.folder())) {
      for (Path file : list.filter(p -> p.toString().endsWith(".npz")).sorted().toList()) {
        Map<String, NpyArray> read = Npz.read(file);
        assertThat(read).isNotEmpty();
        for (Map.Entry<String, NpyArray> entry : read.entrySet()) {
          NpyArray array = entry.getValue();
          // The manifest lists each array as "NAME": {"shape": [..], "dtype": ".."}.
          String shape = Arrays.toString(array.shape()).replace(" ", "");
          assertThat(manifest.replaceAll("\\s", ""))
              .contains(
                  "\""
                      + entry.getKey()
                      + "\":{\"shape\":"
                      + shape
                      + ",\"dtype\":\""
                      + array.dtype()
                      + "\"}");
          arrays++;
        }
        files++;
      }
    }
    assertThat(files).isEqualTo(17);
    assertThat(arrays).isAtLeast(100);
  }

  @Test
  void knownOracleValues() {
    Map<String, NpyArray> s1 = Oracle.read("S1_init.npz");
    assertThat(s1.keySet()).containsExactly("W", "X", "Y", "lr").inOrder();
    assertThat(s1.get("W").shape()).asList().containsExactly(2, 1).inOrder();
    assertThat(s1.get("W").dtype()).isEqualTo("<f8");
    assertThat(s1.get("X").data())
        .usingExactEquality()
        .containsExactly(0, 0, 0, 1, 1, 0, 1, 1)
        .inOrder();
    assertThat(s1.get("lr").shape()).isEmpty();
    assertThat(s1.get("lr").scalar()).isEqualTo(0.1);

    NpyArray loss = Oracle.read("S2toy_ref.npz").get("loss");
    assertThat(loss.ndim()).isEqualTo(0);
    assertThat(loss.scalar()).isWithin(1e-12).of(1.3037878913298);

    NpyArray y = Oracle.read("S2toy_init.npz").get("y");
    assertThat(y.dtype()).isEqualTo("<i8");
    assertThat(y.asInts()).asList().containsExactly(0, 1, 2, 2, 1).inOrder();
    assertThat(y.isIntegerType()).isTrue();
  }

  @Test
  void writeThenReadRoundTripsEveryDtype() throws IOException {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put(
        "W",
        NpyArray.ofDoubles(new double[] {1.5, -2.25, Math.PI, 1e-300, Double.NaN, -0.0}, 2, 3));
    arrays.put("loss", NpyArray.scalar(1.3037878913298));
    arrays.put("labels", NpyArray.ofInts(new int[] {0, 1, 2, -7, Integer.MAX_VALUE}, 5));
    arrays.put("half", new NpyArray("<f4", new int[] {2}, new double[] {0.5, 1.0f / 3}));
    arrays.put("i4", new NpyArray("<i4", new int[] {1, 2}, new double[] {-3, 4}));
    arrays.put("pixels", new NpyArray("|u1", new int[] {3}, new double[] {0, 128, 255}));
    arrays.put("empty", NpyArray.ofDoubles(new double[0], 0, 4));
    Path file = temp.resolve("weights.npz");
    Npz.write(file, arrays);

    LinkedHashMap<String, NpyArray> read = Npz.read(file);
    assertThat(read.keySet()).containsExactlyElementsIn(arrays.keySet()).inOrder();
    assertThat(read).isEqualTo(arrays);
    // No temporary file is left beside the result.
    try (Stream<Path> list = Files.list(temp)) {
      assertThat(list.map(p -> p.getFileName().toString()).toList()).containsExactly("weights.npz");
    }
  }

  @Test
  void writtenFileReadsBackInNumpyOrder() throws IOException {
    // A single-member archive is also a valid .npy container; check the member bytes directly.
    byte[] bytes = Npy.toBytes(NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertThat(bytes.length).isEqualTo(128 + 6 * 8);
    NpyArray back = Npy.read(new ByteArrayInputStream(bytes), "x.npy");
    assertThat(back.data()).usingExactEquality().containsExactly(1, 2, 3, 4, 5, 6).inOrder();
  }

  @Test
  void headerIsByteForByteWhatNumpyWrites() {
    // np.save(f, np.zeros((2, 3))) writes exactly these 128 header bytes.
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    byte[] header = Npy.header(NpyArray.ofDoubles(new double[6], 2, 3));
    assertThat(header.length).isEqualTo(128);
    assertThat(Arrays.copyOf(header, 8))
        .isEqualTo(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    assertThat((header[8] & 0xFF) | (header[9] & 0xFF) << 8).isEqualTo(118);
    String text = new String(header, 10, 118, StandardCharsets.ISO_8859_1);
    assertThat(text).isEqualTo(dict + " ".repeat(118 - dict.length() - 1) + "\n");
    assertThat(header[127]).isEqualTo((byte) '\n');

    // Scalars and vectors as numpy 2.x writes them (checked with np.save).
    String scalar = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
    assertThat(headerText(NpyArray.scalar(1)))
        .isEqualTo(scalar + " ".repeat(118 - scalar.length() - 1) + "\n");
    String vector = "{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }";
    assertThat(headerText(NpyArray.ofInts(new int[5], 5)))
        .isEqualTo(vector + " ".repeat(118 - vector.length() - 1) + "\n");
  }

  @Test
  void headerPaddingKeepsDataAlignedForLongShapes() {
    for (int dims = 0; dims < 12; dims++) {
      int[] shape = new int[dims];
      Arrays.fill(shape, 1);
      byte[] header = Npy.header(new NpyArray("<f8", shape, new double[1]));
      assertThat(header.length % 64).isEqualTo(0);
      assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
    }
  }

  @Test
  void truncatedDataNamesFileAndMember() throws IOException {
    byte[] good = Npy.toBytes(NpyArray.ofDoubles(new double[] {1, 2, 3}, 3));
    Path file = zip("broken.npz", "W.npy", Arrays.copyOf(good, good.length - 5));
    DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.read(file));
    assertThat(e).hasMessageThat().startsWith("broken.npz: member 'W': truncated");
    assertThat(e).hasMessageThat().contains("needs 24 data bytes, found 19");
  }

  @Test
  void truncatedHeaderIsReported() {
    byte[] good = Npy.toBytes(NpyArray.ofDoubles(new double[] {1, 2, 3}, 3));
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Npy.read(Arrays.copyOf(good, 40), "a.npy"));
    assertThat(e).hasMessageThat().startsWith("a.npy: truncated");
  }

  @Test
  void wrongMagicIsReported() throws IOException {
    byte[] bytes = Npy.toBytes(NpyArray.scalar(2));
    bytes[1] = 'X';
    Path file = zip("magic.npz", "lr.npy", bytes);
    DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.read(file));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "magic.npz: member 'lr': not an .npy file (the magic string \\x93NUMPY is missing)");
  }

  @Test
  void badHeaderIsReported() {
    byte[] bytes = withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Npy.read(bytes, "S1_init.npz: member 'W'"));
    assertThat(e)
        .hasMessageThat()
        .startsWith("S1_init.npz: member 'W': bad header (shape is not a tuple of ints)");

    byte[] noDict = withHeader("descr <f8");
    assertThat(assertThrows(DataFormatException.class, () -> Npy.read(noDict, "b.npy")))
        .hasMessageThat()
        .startsWith("b.npy: bad header (not a dict literal)");
  }

  @Test
  void objectDtypeIsRejectedNamingFileAndMember() throws IOException {
    Path file =
        zip(
            "S1_init.npz",
            "W.npy",
            withHeader("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"));
    DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.read(file));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("S1_init.npz: member 'W': expected dtype <f8, <f4, <i8, <i4 or |u1, found |O");
  }

  @Test
  void bigEndianAndFortranOrderAreRejected() {
    byte[] big = withHeader("{'descr': '>f8', 'fortran_order': False, 'shape': (), }", new byte[8]);
    assertThat(assertThrows(DataFormatException.class, () -> Npy.read(big, "big.npy")))
        .hasMessageThat()
        .contains("big-endian dtype >f8 is not supported");
    byte[] fortran =
        withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }", new byte[8]);
    assertThat(assertThrows(DataFormatException.class, () -> Npy.read(fortran, "f.npy")))
        .hasMessageThat()
        .startsWith("f.npy: Fortran-order arrays are not supported");
  }

  @Test
  void memberLookupNamesFileMemberAndDtype() {
    Map<String, NpyArray> arrays = Map.of("W", NpyArray.ofInts(new int[] {1}, 1));
    assertThat(
            assertThrows(DataFormatException.class, () -> Npz.member(arrays, "m.npz", "W", "<f8")))
        .hasMessageThat()
        .isEqualTo("m.npz: member 'W': expected dtype <f8, found <i8");
    assertThat(assertThrows(DataFormatException.class, () -> Npz.member(arrays, "m.npz", "b")))
        .hasMessageThat()
        .isEqualTo("m.npz: no member 'b' (members: W)");
  }

  @Test
  void notAZipIsReported() throws IOException {
    Path file = temp.resolve("plain.npz");
    Files.write(file, "hello".getBytes(StandardCharsets.US_ASCII));
    assertThat(assertThrows(DataFormatException.class, () -> Npz.read(file)))
        .hasMessageThat()
        .startsWith("plain.npz: not a zip archive");
  }

  @Test
  void readsDeflatedMembersAsSavezCompressedWrites() throws IOException {
    byte[] bytes = Npy.toBytes(NpyArray.ofDoubles(new double[] {4, 5}, 1, 2));
    Path file = temp.resolve("compressed.npz");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      ZipEntry entry = new ZipEntry("b.npy");
      entry.setMethod(ZipEntry.DEFLATED);
      zip.putNextEntry(entry);
      zip.write(bytes);
      zip.closeEntry();
    }
    assertThat(Npz.read(file).get("b").data()).usingExactEquality().containsExactly(4, 5).inOrder();
  }

  @Test
  void failedWriteKeepsThePreviousFile() throws IOException {
    Path file = temp.resolve("ckpt.npz");
    Npz.write(file, Map.of("W", NpyArray.scalar(1)));
    Map<String, NpyArray> bad = new LinkedHashMap<>();
    bad.put("W", NpyArray.scalar(2));
    bad.put("labels", new NpyArray("<i8", new int[] {1}, new double[] {0.5})); // not an integer
    assertThrows(IllegalArgumentException.class, () -> Npz.write(file, bad));
    assertThat(Npz.read(file).get("W").scalar()).isEqualTo(1.0);
    try (Stream<Path> list = Files.list(temp)) {
      assertThat(list.count()).isEqualTo(1);
    }
  }

  private static String headerText(NpyArray array) {
    byte[] header = Npy.header(array);
    return new String(header, 10, header.length - 10, StandardCharsets.ISO_8859_1);
  }

  /** An .npy file with a hand-written header (padded like numpy's) and {@code data}. */
  private static byte[] withHeader(String dict, byte... data) {
    int length = 64 * ((10 + dict.length() + 1 + 63) / 64) - 10;
    String padded = dict + " ".repeat(length - dict.length() - 1) + "\n";
    byte[] bytes = new byte[10 + length + data.length];
    byte[] magic = {
      (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) length, (byte) (length >>> 8)
    };
    System.arraycopy(magic, 0, bytes, 0, 10);
    System.arraycopy(padded.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 10, length);
    System.arraycopy(data, 0, bytes, 10 + length, data.length);
    return bytes;
  }

  private Path zip(String name, String member, byte[] bytes) throws IOException {
    Path file = temp.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry(member));
      zip.write(bytes);
      zip.closeEntry();
    }
    return file;
  }
}
