package dev.nnc.runtime.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads (and, for tests, writes) MNIST's IDX files: an image file (magic {@code 0x00000803},
 * unsigned bytes, 3 dimensions: count, rows, columns) and a label file (magic {@code 0x00000801},
 * unsigned bytes, 1 dimension: count), big-endian, each optionally gzipped. Gzip is recognised by
 * its magic bytes {@code 1f 8b}, not by the file name, because the fetched files are renamed often
 * enough.
 *
 * <p>Errors are {@link DataFormatException}s naming the file and, for data, the record (0-based):
 * {@code train.gz: truncated: record 1234 (image) ends after byte 967440}; byte counts are of the
 * decompressed stream.
 */
public final class Idx {
  /** Unsigned bytes, 3 dimensions. */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Unsigned bytes, 1 dimension. */
  public static final int LABELS_MAGIC = 0x00000801;

  private Idx() {}

  /**
   * The images of {@code images} as inputs (each pixel times {@code scale}, row-major, width rows ×
   * columns) with the labels of {@code labels} as class labels. The dataset's target width is the
   * number of classes seen (largest label + 1); whether a label fits the network is checked when
   * training, not here.
   *
   * @param scale multiplies every pixel value (0..255), e.g. {@code 1 / 255.0}
   * @param maxRows read only the first {@code maxRows} records; 0 reads all
   * @throws DataFormatException wrong magic, a dimension ≤ 0, counts that differ between the two
   *     files, a truncated file or damaged gzip data
   * @throws IOException when a file cannot be read at all (missing, no permission)
   */
  public static Dataset read(Path images, Path labels, double scale, int maxRows)
      throws IOException {
    if (maxRows < 0) {
      throw new IllegalArgumentException("maxRows must be ≥ 0 (0 = all), got " + maxRows);
    }
    String imageName = name(images);
    String labelName = name(labels);
    try (Reader imageIn = new Reader(images, imageName);
        Reader labelIn = new Reader(labels, labelName)) {
      imageIn.expectMagic(IMAGES_MAGIC, "images");
      int imageCount = imageIn.dimension("image count");
      int height = imageIn.dimension("rows");
      int width = imageIn.dimension("columns");
      labelIn.expectMagic(LABELS_MAGIC, "labels");
      int labelCount = labelIn.dimension("label count");
      if (imageCount != labelCount) {
        throw new DataFormatException(
            imageName
                + " has "
                + imageCount
                + " images but "
                + labelName
                + " has "
                + labelCount
                + " labels");
      }
      long pixels = (long) height * width;
      int rows = maxRows == 0 ? imageCount : Math.min(maxRows, imageCount);
      if (pixels * rows > Integer.MAX_VALUE - 8) {
        throw new DataFormatException(
            imageName
                + ": "
                + rows
                + " images of "
                + height
                + "×"
                + width
                + " do not fit in memory");
      }
      int recordSize = (int) pixels;
      // The pixels as they are, one byte each (Dataset.ofBytes: input = byte × scale, decoded when
      // read): an eighth of the memory of the doubles.
      byte[] codes = new byte[rows * recordSize];
      int[] classes = new int[rows];
      // Records a chunk at a time (about 1 MB of pixels): one read per chunk, and a loop small
      // enough that the JIT compiles it in a few milliseconds (the record-by-record loop with the
      // stream calls inlined took C2 0.2 s, beside the network's kernels at start-up).
      int chunk = Math.max(1, Math.min(rows, (1 << 20) / recordSize));
      byte[] labelBytes = new byte[chunk];
      int largest = -1;
      for (int r0 = 0; r0 < rows; r0 += chunk) {
        int count = Math.min(chunk, rows - r0);
        int imagesRead = imageIn.readRecords(codes, r0 * recordSize, recordSize, count);
        int labelsRead = labelIn.readRecords(labelBytes, 0, 1, count);
        // the first record either file cuts short, images first as they were read record by record
        if (imagesRead < count && imagesRead <= labelsRead) {
          imageIn.truncated(r0 + imagesRead, "image");
        }
        if (labelsRead < count) {
          labelIn.truncated(r0 + labelsRead, "label");
        }
        for (int r = 0; r < count; r++) {
          // Unsigned: a label file cannot hold a negative class.
          classes[r0 + r] = labelBytes[r] & 0xff;
          largest = Math.max(largest, classes[r0 + r]);
        }
      }
      return Dataset.ofBytes(
          imageName, rows, recordSize, codes, scale, Math.max(largest + 1, 1), null, classes);
    }
  }

  /**
   * Writes {@code count} images of {@code rows × columns} pixels (values 0..255, row-major, image
   * after image) as an IDX image file, gzipped when {@code gzip}.
   */
  public static void writeImages(Path file, int rows, int columns, int[] pixels, boolean gzip)
      throws IOException {
    int recordSize = rows * columns;
    if (rows <= 0 || columns <= 0 || pixels.length % recordSize != 0) {
      throw new IllegalArgumentException(
          pixels.length + " pixels are not whole images of " + rows + "×" + columns);
    }
    try (OutputStream out = open(file, gzip)) {
      writeInt(out, IMAGES_MAGIC);
      writeInt(out, pixels.length / recordSize);
      writeInt(out, rows);
      writeInt(out, columns);
      out.write(toBytes(pixels));
    }
  }

  /** Writes {@code labels} (values 0..255) as an IDX label file, gzipped when {@code gzip}. */
  public static void writeLabels(Path file, int[] labels, boolean gzip) throws IOException {
    try (OutputStream out = open(file, gzip)) {
      writeInt(out, LABELS_MAGIC);
      writeInt(out, labels.length);
      out.write(toBytes(labels));
    }
  }

  /** Writes an image file and its label file together; see {@link #writeImages}. */
  public static void write(
      Path images, Path labels, int rows, int columns, int[] pixels, int[] classes, boolean gzip)
      throws IOException {
    if (pixels.length != classes.length * rows * columns) {
      throw new IllegalArgumentException(
          classes.length + " labels but " + pixels.length + " pixels of " + rows + "×" + columns);
    }
    writeImages(images, rows, columns, pixels, gzip);
    writeLabels(labels, classes, gzip);
  }

  private static byte[] toBytes(int[] values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 255) {
        throw new IllegalArgumentException(
            "IDX stores unsigned bytes; value " + values[i] + " at index " + i);
      }
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static OutputStream open(Path file, boolean gzip) throws IOException {
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
    return gzip ? new GZIPOutputStream(out) : out;
  }

  private static void writeInt(OutputStream out, int value) throws IOException {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private static String name(Path file) {
    Path fileName = file.getFileName();
    return fileName == null ? file.toString() : fileName.toString();
  }

  /** One IDX stream, gunzipped if need be, that counts the bytes it has delivered. */
  private static final class Reader implements AutoCloseable {
    private final String name;
    private final InputStream in;
    private final byte[] word = new byte[4];
    private long position;

    Reader(Path file, String name) throws IOException {
      this.name = name;
      BufferedInputStream buffered = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      try {
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        this.in =
            first == 0x1f && second == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
      } catch (EOFException | ZipException e) {
        buffered.close();
        throw new DataFormatException(name + ": damaged gzip header (" + e.getMessage() + ")", e);
      } catch (IOException | RuntimeException e) {
        buffered.close();
        throw e;
      }
    }

    void expectMagic(int expected, String kind) throws IOException {
      int magic = readHeaderInt("magic number");
      if (magic != expected) {
        throw new DataFormatException(
            String.format(
                "%s: wrong magic 0x%08x, expected 0x%08x (%s)", name, magic, expected, kind));
      }
    }

    int dimension(String what) throws IOException {
      int value = readHeaderInt(what);
      if (value <= 0) {
        // A count of 0 would be a file with no examples: as useless to train on as a broken one.
        throw new DataFormatException(name + ": " + what + " is " + value + ", expected ≥ 1");
      }
      return value;
    }

    private int readHeaderInt(String what) throws IOException {
      int read = fill(word, 0, 4);
      if (read < 4) {
        throw new DataFormatException(
            name + ": truncated: header (" + what + ") ends after byte " + (position + read));
      }
      position += 4;
      return (word[0] & 0xff) << 24
          | (word[1] & 0xff) << 16
          | (word[2] & 0xff) << 8
          | word[3] & 0xff;
    }

    /**
     * Reads {@code count} records of {@code size} bytes into {@code into}; returns how many are
     * whole (fewer only at the end of the data: then {@link #truncated} says where).
     */
    int readRecords(byte[] into, int offset, int size, int count) throws IOException {
      int read = fill(into, offset, size * count);
      position += read;
      return read / size;
    }

    /**
     * The error of record {@code record}, the first one the data cuts short, after {@link
     * #readRecords} read all there was (so {@code position} is where the data ends).
     */
    void truncated(int record, String kind) throws DataFormatException {
      throw new DataFormatException(
          name + ": truncated: record " + record + " (" + kind + ") ends after byte " + position);
    }

    /**
     * Reads up to {@code size} bytes into {@code into[offset ..]}; fewer only at the end of the
     * data.
     */
    private int fill(byte[] into, int offset, int size) throws IOException {
      int total = 0;
      try {
        while (total < size) {
          int n = in.read(into, offset + total, size - total);
          if (n < 0) {
            break;
          }
          total += n;
        }
      } catch (EOFException e) {
        // A gzip stream cut short: the data ends where the inflater ran dry.
        return total;
      } catch (ZipException e) {
        throw new DataFormatException(
            name
                + ": damaged gzip data after byte "
                + (position + total)
                + " ("
                + e.getMessage()
                + ")",
            e);
      }
      return total;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
