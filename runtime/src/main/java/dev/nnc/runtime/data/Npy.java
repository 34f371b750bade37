package dev.nnc.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes single NumPy {@code .npy} arrays (format versions 1.0, 2.0 and 3.0 on read, 1.0
 * on write, as {@code np.save} does for any header under 64 KiB).
 *
 * <p>The format: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length
 * (little-endian uint16 in 1.0, uint32 later), then the header, a Python dict literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces to end in
 * {@code '\n'} where the data starts at a multiple of 64 bytes, then the raw values.
 *
 * <p>Only little-endian C-order arrays of {@code <f8}, {@code <f4}, {@code <i8}, {@code <i4} and
 * {@code |u1} are read; anything else is a {@link DataFormatException} naming the file and what was
 * found.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** The data starts at a multiple of this, as NumPy aligns it. */
  private static final int ALIGNMENT = 64;

  /**
   * NumPy leaves room for this many digits in the first dimension so a file can grow in place;
   * reproduced so our headers are byte-identical to {@code np.save}'s.
   */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  private static final Pattern DESCR =
      Pattern.compile("['\"]descr['\"]\\s*:\\s*(?:['\"]([^'\"]*)['\"]|(\\[))");
  private static final Pattern FORTRAN_ORDER =
      Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Reads a {@code .npy} file; errors name the file. */
  public static NpyArray read(Path file) throws IOException {
    return read(Files.readAllBytes(file), file.getFileName().toString());
  }

  /**
   * Reads one array from all of {@code in}.
   *
   * @param nameForErrors prefixes every error message, e.g. {@code "S1_init.npz: member 'W'"}
   */
  public static NpyArray read(InputStream in, String nameForErrors) throws IOException {
    return read(in.readAllBytes(), nameForErrors);
  }

  /**
   * Reads one array from {@code bytes}, which must hold exactly one {@code .npy} file.
   *
   * @param nameForErrors prefixes every error message, e.g. {@code "S1_init.npz: member 'W'"}
   */
  public static NpyArray read(byte[] bytes, String nameForErrors) {
    if (bytes.length < MAGIC.length + 2) {
      throw error(
          nameForErrors, "truncated: " + bytes.length + " bytes is too short for an .npy file");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw error(nameForErrors, "not an .npy file (the magic string \\x93NUMPY is missing)");
      }
    }
    int major = bytes[6] & 0xFF;
    int minor = bytes[7] & 0xFF;
    if (major < 1 || major > 3 || minor != 0) {
      throw error(nameForErrors, "unsupported .npy format version " + major + "." + minor);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int lengthBytes = major == 1 ? 2 : 4;
    int headerStart = MAGIC.length + 2 + lengthBytes;
    if (bytes.length < headerStart) {
      throw error(nameForErrors, "truncated inside the header length");
    }
    long headerLength =
        major == 1
            ? Short.toUnsignedInt(buffer.getShort(8))
            : Integer.toUnsignedLong(buffer.getInt(8));
    if (headerStart + headerLength > bytes.length) {
      throw error(
          nameForErrors,
          "truncated: the header claims "
              + headerLength
              + " bytes, only "
              + (bytes.length - headerStart)
              + " follow");
    }
    String header =
        new String(
            bytes,
            headerStart,
            (int) headerLength,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header parsed = parseHeader(header, nameForErrors);
    int dataStart = headerStart + (int) headerLength;
    return decode(parsed, buffer, dataStart, bytes.length - dataStart, nameForErrors);
  }

  private record Header(String dtype, int[] shape) {}

  private static Header parseHeader(String header, String name) {
    String body = header.strip();
    if (!body.startsWith("{") || !body.endsWith("}")) {
      throw error(name, "bad header (not a dict literal): " + quote(header));
    }
    Matcher descr = DESCR.matcher(body);
    if (!descr.find()) {
      throw error(name, "bad header (no 'descr'): " + quote(header));
    }
    if (descr.group(2) != null) {
      throw error(name, "structured dtypes are not supported, found " + quote(header));
    }
    String dtype = descr.group(1);
    Matcher fortran = FORTRAN_ORDER.matcher(body);
    if (!fortran.find()) {
      throw error(name, "bad header (no 'fortran_order'): " + quote(header));
    }
    if (fortran.group(1).equals("True")) {
      throw error(
          name, "Fortran-order arrays are not supported; save np.ascontiguousarray(a) instead");
    }
    Matcher shapeMatch = SHAPE.matcher(body);
    if (!shapeMatch.find()) {
      throw error(name, "bad header (no 'shape' tuple): " + quote(header));
    }
    int[] shape = parseShape(shapeMatch.group(1), header, name);
    if (dtype.startsWith(">")) {
      throw error(
          name,
          "big-endian dtype "
              + dtype
              + " is not supported; convert with a.astype('<"
              + dtype.substring(1)
              + "')");
    }
    if (!NpyArray.SUPPORTED_DTYPES.contains(dtype)) {
      throw error(name, "expected dtype <f8, <f4, <i8, <i4 or |u1, found " + dtype);
    }
    return new Header(dtype, shape);
  }

  private static int[] parseShape(String inside, String header, String name) {
    String trimmed = inside.strip();
    if (trimmed.isEmpty()) {
      return new int[0];
    }
    String[] parts = trimmed.split(",", -1);
    int count = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
    int[] shape = new int[count];
    for (int i = 0; i < count; i++) {
      String part = parts[i].strip();
      if (part.endsWith("L")) {
        part = part.substring(0, part.length() - 1); // Python 2 long literals
      }
      try {
        shape[i] = Integer.parseInt(part);
      } catch (NumberFormatException e) {
        throw error(name, "bad header (shape is not a tuple of ints): " + quote(header));
      }
      if (shape[i] < 0) {
        throw error(name, "bad header (negative dimension): " + quote(header));
      }
    }
    return shape;
  }

  private static NpyArray decode(
      Header header, ByteBuffer buffer, int dataStart, int available, String name) {
    long count = 1;
    for (int dimension : header.shape) {
      count *= dimension;
      if (count > Integer.MAX_VALUE - 8) {
        throw error(name, "array too large: shape " + shapeText(header.shape));
      }
    }
    int itemSize = itemSize(header.dtype);
    long expected = count * itemSize;
    if (available < expected) {
      throw error(
          name,
          "truncated: shape "
              + shapeText(header.shape)
              + " of "
              + header.dtype
              + " needs "
              + expected
              + " data bytes, found "
              + available);
    }
    if (available > expected) {
      throw error(
          name,
          (available - expected)
              + " unexpected bytes after the data of shape "
              + shapeText(header.shape));
    }
    double[] data = new double[(int) count];
    buffer.position(dataStart);
    ByteBuffer slice = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    switch (header.dtype) {
      case "<f8" -> slice.asDoubleBuffer().get(data);
      case "<f4" -> {
        var floats = slice.asFloatBuffer();
        for (int i = 0; i < data.length; i++) {
          data[i] = floats.get(i);
        }
      }
      case "<i8" -> {
        var longs = slice.asLongBuffer();
        for (int i = 0; i < data.length; i++) {
          data[i] = longs.get(i);
        }
      }
      case "<i4" -> {
        var ints = slice.asIntBuffer();
        for (int i = 0; i < data.length; i++) {
          data[i] = ints.get(i);
        }
      }
      case "|u1" -> {
        for (int i = 0; i < data.length; i++) {
          data[i] = slice.get(i) & 0xFF;
        }
      }
      default -> throw new AssertionError(header.dtype);
    }
    return new NpyArray(header.dtype, header.shape, data);
  }

  /** The whole {@code .npy} file for {@code array}, as {@link #write(OutputStream, NpyArray)}. */
  public static byte[] toBytes(NpyArray array) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + array.size() * 8);
    try {
      write(out, array);
    } catch (IOException e) {
      throw new AssertionError("a ByteArrayOutputStream does not fail", e);
    }
    return out.toByteArray();
  }

  /** Writes a {@code .npy} file (not atomically: see {@link Npz#write} for that). */
  public static void write(Path file, NpyArray array) throws IOException {
    Files.write(file, toBytes(array));
  }

  /**
   * Writes {@code array} in format 1.0, its values stored as its dtype says (values are rounded to
   * float for {@code <f4}; integer dtypes require whole numbers in range), with the header
   * byte-for-byte as {@code np.save} writes it.
   */
  public static void write(OutputStream out, NpyArray array) throws IOException {
    out.write(header(array));
    String dtype = array.dtype();
    double[] data = array.data();
    int itemSize = itemSize(dtype);
    ByteBuffer chunk = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < data.length; i++) {
      if (chunk.remaining() < itemSize) {
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
      }
      double value = data[i];
      switch (dtype) {
        case "<f8" -> chunk.putDouble(value);
        case "<f4" -> chunk.putFloat((float) value);
        case "<i8" ->
            chunk.putLong((long) checkedInteger(value, Long.MIN_VALUE, Long.MAX_VALUE, dtype, i));
        case "<i4" ->
            chunk.putInt(
                (int) checkedInteger(value, Integer.MIN_VALUE, Integer.MAX_VALUE, dtype, i));
        case "|u1" -> chunk.put((byte) checkedInteger(value, 0, 255, dtype, i));
        default -> throw new AssertionError(dtype);
      }
    }
    out.write(chunk.array(), 0, chunk.position());
  }

  /** The magic, version, length and padded header of {@code array}'s file, as NumPy writes them. */
  static byte[] header(NpyArray array) {
    int[] shape = array.shape();
    StringBuilder dict =
        new StringBuilder("{'descr': '")
            .append(array.dtype())
            .append("', 'fortran_order': False, 'shape': ")
            .append(shapeText(shape))
            .append(", }");
    if (shape.length > 0) {
      dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
    }
    int withNewline = dict.length() + 1;
    int prefix = MAGIC.length + 2 + 2;
    // NumPy always pads, by a whole 64 bytes when the header already fits exactly.
    int padding = ALIGNMENT - ((prefix + withNewline) % ALIGNMENT);
    dict.append(" ".repeat(padding)).append('\n');
    int headerLength = dict.length();
    if (headerLength > 0xFFFF) {
      throw new IllegalArgumentException("header too long for .npy 1.0: " + headerLength);
    }
    byte[] bytes = new byte[prefix + headerLength];
    System.arraycopy(MAGIC, 0, bytes, 0, MAGIC.length);
    bytes[6] = 1;
    bytes[7] = 0;
    bytes[8] = (byte) (headerLength & 0xFF);
    bytes[9] = (byte) (headerLength >>> 8);
    byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(text, 0, bytes, prefix, text.length);
    return bytes;
  }

  private static double checkedInteger(
      double value, double min, double max, String dtype, int index) {
    if (value != Math.rint(value) || value < min || value > max) {
      throw new IllegalArgumentException(
          "value " + value + " at flat index " + index + " cannot be stored as " + dtype);
    }
    return value;
  }

  private static int itemSize(String dtype) {
    return switch (dtype) {
      case "<f8", "<i8" -> 8;
      case "<f4", "<i4" -> 4;
      case "|u1" -> 1;
      default -> throw new AssertionError(dtype);
    };
  }

  /** A shape as Python writes the tuple: {@code (2, 3)}, {@code (5,)}, {@code ()}. */
  static String shapeText(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      text.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return text.append(')').toString();
  }

  private static String quote(String header) {
    String stripped = header.strip();
    return stripped.length() > 120 ? stripped.substring(0, 120) + "…" : stripped;
  }

  private static DataFormatException error(String name, String problem) {
    return new DataFormatException(name + ": " + problem);
  }
}
