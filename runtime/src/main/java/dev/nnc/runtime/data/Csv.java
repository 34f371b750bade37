package dev.nnc.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A strict reader of numeric CSV: every row holds the input columns, then the target columns (or
 * one label column), separated by commas. Blank lines and lines starting with {@code #} are
 * skipped; spaces around a field are ignored. Every field must be a finite decimal number as
 * written by numpy, pandas or a spreadsheet ({@code 3}, {@code -0.5}, {@code 1e-3}, {@code .5});
 * hexadecimal, {@code NaN}, {@code Infinity}, Java's {@code 1d}/{@code 1f} suffixes, quoted and
 * empty fields are refused, because a training run on silently misread data fails much later and
 * much less clearly.
 *
 * <p>Errors are {@link DataFormatException}s naming the file, the line (1-based) and the field
 * (1-based) with its text: {@code data.csv: line 7, field 3: 'abc' is not a number}.
 */
public final class Csv {
  /** A decimal number: optional sign, digits with an optional point, optional exponent. */
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

  private Csv() {}

  /**
   * Reads {@code file}.
   *
   * @param inputColumns the first this many fields of a row are its inputs
   * @param targetColumns then this many dense targets (ignored when {@code labels})
   * @param labels the one field after the inputs is a class label: a non-negative integer ({@code
   *     3} or {@code 3.0}); the dataset's target width is then the number of classes seen (largest
   *     label + 1)
   * @param header true: the first line that is not blank or a comment is a header and skipped;
   *     false: it is taken for a header only when none of its fields is a number (detected)
   * @throws DataFormatException a ragged row, a field that is not a finite number, a bad label, or
   *     no rows at all
   * @throws IOException when the file cannot be read at all
   */
  public static Dataset read(
      Path file, int inputColumns, int targetColumns, boolean labels, boolean header)
      throws IOException {
    int targetWidth = labels ? 1 : targetColumns;
    if (inputColumns < 0 || targetWidth < 0 || inputColumns + targetWidth == 0) {
      throw new IllegalArgumentException(
          "need ≥ 0 input and target columns, and some columns: "
              + inputColumns
              + ", "
              + targetColumns);
    }
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    int fields = inputColumns + targetWidth;
    double[] x = new double[Math.max(16, 64 * inputColumns)];
    double[] targets = new double[labels ? 0 : Math.max(16, 64 * targetColumns)];
    int[] classes = new int[labels ? 64 : 0];
    int rows = 0;
    int largestLabel = -1;
    boolean firstContentLine = true;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      double[] values = new double[fields];
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (lineNumber == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1); // a byte-order mark, as spreadsheets write
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(",", -1);
        if (firstContentLine) {
          firstContentLine = false;
          if (header || isHeader(parts)) {
            continue;
          }
        }
        if (parts.length != fields) {
          throw new DataFormatException(
              name
                  + ": line "
                  + lineNumber
                  + ": "
                  + parts.length
                  + (parts.length == 1 ? " field" : " fields")
                  + ", expected "
                  + fields
                  + " ("
                  + inputColumns
                  + " inputs, "
                  + (labels ? "1 label" : targetColumns + " targets")
                  + ")");
        }
        for (int f = 0; f < fields; f++) {
          values[f] = number(parts[f], name, lineNumber, f + 1);
        }
        if (x.length < (rows + 1) * inputColumns) {
          x = Arrays.copyOf(x, x.length * 2);
        }
        System.arraycopy(values, 0, x, rows * inputColumns, inputColumns);
        if (labels) {
          double label = values[inputColumns];
          if (label < 0 || label != Math.rint(label) || label > Integer.MAX_VALUE) {
            throw new DataFormatException(
                name
                    + ": line "
                    + lineNumber
                    + ", field "
                    + (inputColumns + 1)
                    + ": '"
                    + parts[inputColumns].strip()
                    + "' is not a label (a non-negative integer)");
          }
          if (classes.length == rows) {
            classes = Arrays.copyOf(classes, rows * 2);
          }
          classes[rows] = (int) label;
          largestLabel = Math.max(largestLabel, classes[rows]);
        } else {
          if (targets.length < (rows + 1) * targetColumns) {
            targets = Arrays.copyOf(targets, targets.length * 2);
          }
          System.arraycopy(values, inputColumns, targets, rows * targetColumns, targetColumns);
        }
        rows++;
      }
    }
    if (rows == 0) {
      throw new DataFormatException(name + ": no data rows");
    }
    return new Dataset(
        name,
        rows,
        inputColumns,
        Arrays.copyOf(x, rows * inputColumns),
        labels ? largestLabel + 1 : targetColumns,
        labels ? null : Arrays.copyOf(targets, rows * targetColumns),
        labels ? Arrays.copyOf(classes, rows) : null);
  }

  /** A header line: no field is a number (an empty field would be a broken data row instead). */
  private static boolean isHeader(String[] parts) {
    for (String part : parts) {
      String field = part.strip();
      if (field.isEmpty() || DECIMAL.matcher(field).matches()) {
        return false;
      }
    }
    return true;
  }

  private static double number(String text, String file, int line, int field) {
    String value = text.strip();
    if (!DECIMAL.matcher(value).matches()) {
      String why =
          value.equalsIgnoreCase("nan") || value.matches("[+-]?(?i:inf|infinity)")
              ? "is not a finite number"
              : "is not a number";
      throw new DataFormatException(
          file + ": line " + line + ", field " + field + ": '" + value + "' " + why);
    }
    double parsed = Double.parseDouble(value);
    if (Double.isInfinite(parsed)) {
      throw new DataFormatException(
          file
              + ": line "
              + line
              + ", field "
              + field
              + ": '"
              + value
              + "' is too large for a double");
    }
    return parsed;
  }
}
