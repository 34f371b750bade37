package dev.nnc.spark;

import dev.nnc.runtime.NetworkSpec;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one Spark {@link Row} into a network's raw inputs and targets. Built on the driver from the
 * schema (missing columns and columns of a type that cannot hold numbers are refused there, before
 * any job runs); applied on the executors row by row, where nulls, arrays of the wrong width,
 * strings that are not numbers, non-finite values and labels out of range are refused with the row
 * and the column.
 *
 * <p>Inputs: either one array column ({@code array<double>} or any numeric element type) of the raw
 * input width, or that many numeric (or numeric string) columns. Targets likewise (dense), or one
 * integer-valued numeric column (labels).
 */
final class RowReader implements Serializable {
  private static final long serialVersionUID = 1L;

  private enum Kind {
    NUMBER,
    TEXT,
    ARRAY
  }

  private record Column(String name, int index, Kind kind) implements Serializable {}

  /** One row's values. */
  record Values(double[] x, double[] targets, int label) implements Serializable {}

  private final String source;
  private final String network;
  private final int inputWidth;
  private final boolean labels;
  private final int targetWidth;
  private final Column[] inputs;
  private final Column[] targets;

  private RowReader(
      String source,
      String network,
      int inputWidth,
      boolean labels,
      int targetWidth,
      Column[] inputs,
      Column[] targets) {
    this.source = source;
    this.network = network;
    this.inputWidth = inputWidth;
    this.labels = labels;
    this.targetWidth = targetWidth;
    this.inputs = inputs;
    this.targets = targets;
  }

  /**
   * @param featureColumns the input columns, or null: the column named as the {@code .nn} file's
   *     input if there is one, else every column that is not a target column, in schema order
   * @param targetColumns the target or label columns, or null: the one named as the {@code .nn}
   *     file's target or label
   */
  static RowReader of(
      NetworkSpec spec,
      StructType schema,
      String source,
      List<String> featureColumns,
      List<String> targetColumns) {
    List<String> names = Arrays.asList(schema.fieldNames());
    List<String> targetNames = targetColumns != null ? targetColumns : List.of(spec.targetName());
    List<String> featureNames;
    if (featureColumns != null) {
      featureNames = featureColumns;
    } else if (names.contains(spec.inputName())) {
      featureNames = List.of(spec.inputName());
    } else {
      featureNames = new ArrayList<>(names);
      featureNames.removeAll(targetNames);
    }
    boolean labels = spec.targetKind() == NetworkSpec.TargetKind.LABELS;
    // targets first: with the default features (every other column) a missing target column
    // would otherwise be reported as one input column too many
    Column[] targets =
        labels
            ? columns(schema, source, targetNames, 1, "label", spec)
            : columns(schema, source, targetNames, spec.targetWidth(), "target", spec);
    Column[] inputs = columns(schema, source, featureNames, spec.rawInputWidth(), "input", spec);
    if (labels && targets[0].kind == Kind.ARRAY) {
      throw new SparkDataException(
          source + ": column '" + targets[0].name + "' is an array; labels need one number a row");
    }
    return new RowReader(
        source, spec.name(), spec.rawInputWidth(), labels, spec.targetWidth(), inputs, targets);
  }

  private static Column[] columns(
      StructType schema,
      String source,
      List<String> wanted,
      int width,
      String role,
      NetworkSpec spec) {
    if (wanted.isEmpty()) {
      throw new SparkDataException(source + ": no " + role + " columns");
    }
    Column[] columns = new Column[wanted.size()];
    for (int i = 0; i < columns.length; i++) {
      String name = wanted.get(i);
      int index;
      try {
        index = schema.fieldIndex(name);
      } catch (IllegalArgumentException e) {
        throw new SparkDataException(
            source
                + ": no column '"
                + name
                + "' (the network's "
                + role
                + "); the columns are "
                + String.join(", ", schema.fieldNames()));
      }
      StructField field = schema.fields()[index];
      columns[i] = new Column(name, index, kind(field.dataType(), source, name));
    }
    boolean array = columns.length == 1 && columns[0].kind == Kind.ARRAY;
    for (Column column : columns) {
      if (column.kind == Kind.ARRAY && !array) {
        throw new SparkDataException(
            source
                + ": column '"
                + column.name
                + "' is an array; an array column must be the only "
                + role
                + " column");
      }
    }
    if (!array && columns.length != width) {
      throw new SparkDataException(
          source
              + ": "
              + columns.length
              + " "
              + role
              + (columns.length == 1 ? " column (" : " columns (")
              + String.join(", ", wanted)
              + "), network "
              + spec.name()
              + " expects "
              + width);
    }
    return columns;
  }

  private static Kind kind(DataType type, String source, String name) {
    if (type instanceof NumericType) {
      return Kind.NUMBER;
    }
    if (type.equals(DataTypes.StringType)) {
      return Kind.TEXT;
    }
    if (type instanceof ArrayType array
        && (array.elementType() instanceof NumericType
            || array.elementType() instanceof DecimalType)) {
      return Kind.ARRAY;
    }
    throw new SparkDataException(
        source
            + ": column '"
            + name
            + "' is "
            + type.simpleString()
            + ", not numeric (numbers, numeric strings or an array of numbers)");
  }

  /** The values of row {@code index} (0-based; messages count from 1). */
  Values read(Row row, long index) {
    double[] x = new double[inputWidth];
    fill(row, index, inputs, x);
    if (labels) {
      double value = number(row, index, targets[0], row.get(targets[0].index));
      if (value != Math.rint(value) || value < 0 || value >= targetWidth) {
        throw error(
            index,
            targets[0].name,
            "label "
                + format(value)
                + " is outside 0.."
                + (targetWidth - 1)
                + " (network "
                + network
                + " has "
                + targetWidth
                + (targetWidth == 1 ? " class)" : " classes)"));
      }
      return new Values(x, null, (int) value);
    }
    double[] t = new double[targetWidth];
    fill(row, index, targets, t);
    return new Values(x, t, 0);
  }

  private void fill(Row row, long index, Column[] columns, double[] out) {
    if (columns.length == 1 && columns[0].kind == Kind.ARRAY) {
      Column column = columns[0];
      if (row.isNullAt(column.index)) {
        throw error(index, column.name, "null");
      }
      List<Object> values = row.getList(column.index);
      if (values.size() != out.length) {
        throw error(
            index,
            column.name,
            values.size()
                + (values.size() == 1 ? " value" : " values")
                + ", network "
                + network
                + " expects "
                + out.length);
      }
      for (int i = 0; i < out.length; i++) {
        out[i] = number(row, index, column, values.get(i));
      }
      return;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = number(row, index, columns[i], row.get(columns[i].index));
    }
  }

  private double number(Row row, long index, Column column, Object value) {
    double number;
    if (value == null) {
      throw error(index, column.name, "null");
    } else if (value instanceof Number n) {
      number = n instanceof BigDecimal d ? d.doubleValue() : n.doubleValue();
    } else if (value instanceof String text) {
      try {
        number = Double.parseDouble(text.strip());
      } catch (NumberFormatException e) {
        throw error(index, column.name, "'" + text + "' is not a number");
      }
    } else {
      throw error(index, column.name, value.getClass().getSimpleName() + " is not a number");
    }
    if (!Double.isFinite(number)) {
      throw error(index, column.name, format(number) + " is not a finite number");
    }
    return number;
  }

  private SparkDataException error(long index, String column, String what) {
    return new SparkDataException(
        source + ", row " + (index + 1) + ", column '" + column + "': " + what);
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
