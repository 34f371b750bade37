package dev.nnc.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Whether a data file's rows fit in the Java heap, said before they are read: a 480 MB {@code .npz}
 * given to a JVM of 1 GB should end in a sentence that names both sizes and how to give the JVM
 * more ({@code NNC_JAVA_OPTS=-Xmx…}), not in an {@link OutOfMemoryError} half-way through.
 *
 * <p>The rows are held as doubles, and a second copy is made when they are preprocessed (powers,
 * standardisation), so the need is estimated as 2 × 8 bytes per value. The values are counted from
 * the file's headers without reading the data: an {@code .npz} member's uncompressed size and
 * dtype, an IDX file's size (one byte a pixel; a gzipped file's size is in its trailer). A CSV's
 * value count is not known before it is read; {@link #outOfMemory} words the error for it instead.
 */
public final class DataMemory {
  /** Bytes per value held: a double, and its preprocessed copy. */
  static final long BYTES_PER_VALUE = 2 * Double.BYTES;

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'[<>|=]?[a-zA-Z](\\d+)'");

  private DataMemory() {}

  /** The heap this JVM may still take: its maximum minus what is in use now. */
  static long available() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
  }

  /**
   * Refuses {@code values} values from {@code name} when they do not fit in {@code available} bytes
   * of heap (of {@code max} in all).
   */
  static void check(String name, long values, long available, long max) {
    long need = values * BYTES_PER_VALUE;
    if (need > available) {
      throw new DataFormatException(
          String.format(
              Locale.ROOT,
              "%s: its %,d values need about %,d MB of heap (as doubles, and a preprocessed copy),"
                  + " but the JVM may use at most %,d MB, %,d MB of it free; give it more with"
                  + " NNC_JAVA_OPTS=-Xmx%dg (java -Xmx… for your own program)",
              name,
              values,
              need >> 20,
              max >> 20,
              available >> 20,
              Math.max(2, (need + max - available + (1L << 30) - 1) >> 30)),
          "NN807",
          null);
    }
  }

  /** Checks {@code values} values of {@code name} against this JVM's heap. */
  public static void check(String name, long values) {
    check(name, values, available(), Runtime.getRuntime().maxMemory());
  }

  /** The error for an {@link OutOfMemoryError} while {@code name} ({@code bytes} long) was read. */
  public static DataFormatException outOfMemory(String name, long bytes) {
    return new DataFormatException(
        String.format(
            Locale.ROOT,
            "%s (%,d MB) does not fit in the Java heap as doubles (at most %,d MB); give the JVM"
                + " more with NNC_JAVA_OPTS=-Xmx4g (or more), or read fewer rows (rows N after the"
                + " data source)",
            name,
            bytes >> 20,
            Runtime.getRuntime().maxMemory() >> 20),
        "NN807",
        null);
  }

  /** The values of an {@code .npz} file's members, from their uncompressed sizes and dtypes. */
  static long npzValues(Path file) throws IOException {
    long values = 0;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        long size = entry.getSize();
        if (size <= 0) {
          continue;
        }
        int itemSize = 8;
        try (InputStream in = zip.getInputStream(entry)) {
          byte[] head = in.readNBytes(512);
          Matcher descr = DESCR.matcher(new String(head, StandardCharsets.ISO_8859_1));
          if (descr.find()) {
            itemSize = Math.max(1, Integer.parseInt(descr.group(1)));
          }
        }
        values += size / itemSize;
      }
    } catch (java.util.zip.ZipException notAZip) {
      return 0; // Npz.read says what is wrong with it
    }
    return values;
  }

  /** The bytes (one a value) of an IDX file: its size, or a gzipped file's stored length. */
  static long idxValues(Path file) throws IOException {
    long size = Files.size(file);
    if (size < 18) {
      return size;
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(2);
      channel.read(head);
      if ((head.get(0) & 0xFF) != 0x1F || (head.get(1) & 0xFF) != 0x8B) {
        return size;
      }
      // gzip: ISIZE, the uncompressed length mod 2³², little-endian in the last 4 bytes
      java.nio.ByteBuffer tail =
          java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      channel.position(size - 4);
      channel.read(tail);
      return Integer.toUnsignedLong(tail.getInt(0));
    }
  }
}
