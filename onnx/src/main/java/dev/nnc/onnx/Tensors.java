package dev.nnc.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Decodes the {@link TensorProto}s of a possibly hostile file: the declared dimensions are checked
 * against the values actually present before anything is allocated, so a tensor that claims 10¹⁸
 * elements is an error, not an {@link OutOfMemoryError}.
 */
final class Tensors {
  /** At most this many values in one tensor (a 16k × 16k weight matrix): nnc's layers are small. */
  static final long MAX_VALUES = 1L << 28;

  private Tensors() {}

  /** A decoded tensor: its dimensions and its values widened to double, C order. */
  record Values(long[] dims, double[] data, int dataType) {
    int rank() {
      return dims.length;
    }

    String shapeText() {
      return Tensors.shapeText(dims);
    }
  }

  static String typeName(int dataType) {
    TensorProto.DataType type = TensorProto.DataType.forNumber(dataType);
    return type == null ? "type " + dataType : type.name();
  }

  static String shapeText(long[] dims) {
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append(dims[i]);
    }
    if (dims.length == 1) {
      text.append(',');
    }
    return text.append(')').toString();
  }

  /**
   * The values of {@code tensor} (float, double, int32 or int64).
   *
   * @param what how messages name it: {@code initializer 'fc1.weight'}
   */
  static Values decode(TensorProto tensor, String fileName, String what) {
    if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL
        || tensor.getExternalDataCount() > 0) {
      throw OnnxError.NX002.at(
          fileName,
          what
              + " is stored in an external file; nnc reads self-contained models (save with"
              + " save_as_external_data=False)");
    }
    if (tensor.hasSegment()) {
      throw OnnxError.NX106.at(fileName, what + " is a segment of a larger tensor");
    }
    long[] dims = new long[tensor.getDimsCount()];
    long count = 1;
    for (int i = 0; i < dims.length; i++) {
      long dim = tensor.getDims(i);
      if (dim < 0 || dim > MAX_VALUES || (dim > 0 && count > MAX_VALUES / dim)) {
        throw OnnxError.NX106.at(
            fileName,
            String.format(
                Locale.ROOT,
                "%s: dimension %d is %d (at most %d values in a tensor)",
                what,
                i,
                dim,
                MAX_VALUES));
      }
      dims[i] = dim;
      count *= dim;
    }
    int type = tensor.getDataType();
    int width =
        switch (type) {
          case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
          case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
          default ->
              throw OnnxError.NX105.at(
                  fileName,
                  what
                      + " has element type "
                      + typeName(type)
                      + "; nnc imports FLOAT and DOUBLE weights (and INT64 shapes)");
        };
    int n = (int) count;
    double[] data;
    if (tensor.hasRawData()) {
      ByteString raw = tensor.getRawData();
      if (raw.size() != count * width) {
        throw OnnxError.NX106.at(
            fileName,
            String.format(
                Locale.ROOT,
                "%s: shape %s needs %d bytes of %s, the file holds %d",
                what,
                shapeText(dims),
                count * width,
                typeName(type),
                raw.size()));
      }
      ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      data = new double[n];
      for (int i = 0; i < n; i++) {
        data[i] =
            switch (type) {
              case TensorProto.DataType.FLOAT_VALUE -> buffer.getFloat();
              case TensorProto.DataType.INT32_VALUE -> buffer.getInt();
              case TensorProto.DataType.DOUBLE_VALUE -> buffer.getDouble();
              default -> buffer.getLong();
            };
      }
    } else {
      int present =
          switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> tensor.getFloatDataCount();
            case TensorProto.DataType.INT32_VALUE -> tensor.getInt32DataCount();
            case TensorProto.DataType.DOUBLE_VALUE -> tensor.getDoubleDataCount();
            default -> tensor.getInt64DataCount();
          };
      if (present != count) {
        throw OnnxError.NX106.at(
            fileName,
            String.format(
                Locale.ROOT,
                "%s: shape %s needs %d values, the file holds %d",
                what,
                shapeText(dims),
                count,
                present));
      }
      data = new double[n];
      for (int i = 0; i < n; i++) {
        data[i] =
            switch (type) {
              case TensorProto.DataType.FLOAT_VALUE -> tensor.getFloatData(i);
              case TensorProto.DataType.INT32_VALUE -> tensor.getInt32Data(i);
              case TensorProto.DataType.DOUBLE_VALUE -> tensor.getDoubleData(i);
              default -> tensor.getInt64Data(i);
            };
      }
    }
    return new Values(dims, data, type);
  }

  /** A tensor of {@code dims} with {@code data} as raw little-endian FLOAT or DOUBLE bytes. */
  static TensorProto encode(String name, boolean doublePrecision, double[] data, long... dims) {
    ByteBuffer buffer =
        ByteBuffer.allocate(data.length * (doublePrecision ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (double value : data) {
      if (doublePrecision) {
        buffer.putDouble(value);
      } else {
        buffer.putFloat((float) value);
      }
    }
    buffer.flip();
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(
                doublePrecision
                    ? TensorProto.DataType.DOUBLE_VALUE
                    : TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(buffer));
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    return tensor.build();
  }

  /** An INT64 tensor (shapes, axes). */
  static TensorProto int64(String name, long... values) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64_VALUE)
            .addDims(values.length);
    for (long value : values) {
      tensor.addInt64Data(value);
    }
    return tensor.build();
  }
}
