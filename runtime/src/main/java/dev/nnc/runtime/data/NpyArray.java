package dev.nnc.runtime.data;

import java.util.Arrays;
import java.util.List;

/**
 * One NumPy array, C order, its values widened to {@code double} whatever the file's dtype.
 *
 * <p>The data array is shared, not copied: arrays here can be large (a whole training set), and the
 * readers and writers never modify it.
 *
 * @param dtype the NumPy type string: {@code <f8}, {@code <f4}, {@code <i8}, {@code <i4} or {@code
 *     |u1}; it decides how {@link Npy#write} stores the values
 * @param shape the dimensions; {@code []} for a 0-d scalar
 * @param data the values in C (row-major) order, {@code product(shape)} of them
 */
public record NpyArray(String dtype, int[] shape, double[] data) {
  /** The dtypes nnc reads and writes. */
  public static final List<String> SUPPORTED_DTYPES = List.of("<f8", "<f4", "<i8", "<i4", "|u1");

  public NpyArray {
    if (!SUPPORTED_DTYPES.contains(dtype)) {
      throw new IllegalArgumentException(
          "dtype " + dtype + " is not one of " + String.join(", ", SUPPORTED_DTYPES));
    }
    shape = shape.clone();
    long count = 1;
    for (int dimension : shape) {
      if (dimension < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      count *= dimension;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + count + " values, got " + data.length);
    }
  }

  /** A {@code <f8} array of {@code data} with {@code shape}. */
  public static NpyArray ofDoubles(double[] data, int... shape) {
    return new NpyArray("<f8", shape, data);
  }

  /** An {@code <i8} array (NumPy's default integer type) of {@code data} with {@code shape}. */
  public static NpyArray ofInts(int[] data, int... shape) {
    double[] widened = new double[data.length];
    for (int i = 0; i < data.length; i++) {
      widened[i] = data[i];
    }
    return new NpyArray("<i8", shape, widened);
  }

  /** A 0-d {@code <f8} array (shape {@code ()}). */
  public static NpyArray scalar(double value) {
    return new NpyArray("<f8", new int[0], new double[] {value});
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int ndim() {
    return shape.length;
  }

  /** The number of values: the product of the shape (1 for a 0-d scalar). */
  public int size() {
    return data.length;
  }

  public boolean isIntegerType() {
    return dtype.equals("<i8") || dtype.equals("<i4") || dtype.equals("|u1");
  }

  /** The one value of an array of size 1 (a 0-d scalar, or a (1,) or (1, 1) array). */
  public double scalar() {
    if (data.length != 1) {
      throw new IllegalStateException("expected a scalar, found an array of shape " + shapeText());
    }
    return data[0];
  }

  /**
   * The values as ints, for labels; every value must be integral and fit an int (floating dtypes
   * are accepted when their values are whole numbers).
   */
  public int[] asInts() {
    int[] ints = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      double value = data[i];
      if (value != Math.rint(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new IllegalStateException(
            "value " + value + " at flat index " + i + " is not an int (dtype " + dtype + ")");
      }
      ints[i] = (int) value;
    }
    return ints;
  }

  /** The shape as NumPy prints it: {@code (2, 3)}, {@code (5,)}, {@code ()}. */
  public String shapeText() {
    return Npy.shapeText(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray other
        && dtype.equals(other.dtype)
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    String values =
        data.length <= 8
            ? Arrays.toString(data)
            : Arrays.toString(Arrays.copyOf(data, 8)).replace("]", ", …]");
    return "NpyArray(" + dtype + ", " + shapeText() + ", " + values + ")";
  }
}
