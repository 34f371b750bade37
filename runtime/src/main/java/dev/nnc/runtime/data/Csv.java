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
        if (parts.length != fields) {
          // before the header test: "a;b;c" is no header but a file separated by semicolons
          checkSeparator(line, fields, name, lineNumber);
        }
        if (firstContentLine) {
          firstContentLine = false;
          if (header || isHeader(parts)) {
            continue;
          }
        }
        if (parts.length != fields) {
          int column = parts.length > fields ? fieldStart(line, fields) : line.length();
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
                  + ")",
              "NN802",
              DataFormatException.excerpt(
                  line,
                  parts.length > fields ? column - 1 : column,
                  parts.length > fields ? line.length() - column + 1 : 1));
        }
        for (int f = 0; f < fields; f++) {
          values[f] = number(parts[f], name, lineNumber, f + 1, line);
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
                    + "' is not a label (a non-negative integer)",
                "NN803",
                fieldExcerpt(line, inputColumns));
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
    } catch (java.nio.charset.CharacterCodingException e) {
      throw notText(file, name);
    }
    if (rows == 0) {
      throw new DataFormatException(name + ": no data rows", "NN805", null);
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

  /**
   * A file that is not UTF-8 text: names the first byte that is not (its offset from 0 and its
   * line), which is what a user needs to find a binary file given as CSV, or a Latin-1 one.
   */
  private static DataFormatException notText(Path file, String name) throws IOException {
    long offset = 0;
    long line = 1;
    int bad = -1;
    try (java.io.InputStream in =
        new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      int pending = 0; // continuation bytes still expected
      long start = 0; // offset of the sequence's lead byte
      int lead = 0;
      int b;
      while ((b = in.read()) >= 0) {
        if (pending > 0) {
          if ((b & 0xC0) != 0x80) {
            bad = lead; // the sequence it starts is broken
            offset = start;
            break;
          }
          pending--;
        } else if (b < 0x80) {
          line += b == '\n' ? 1 : 0;
        } else if (b >= 0xC2 && b <= 0xDF) {
          pending = 1;
          start = offset;
          lead = b;
        } else if (b >= 0xE0 && b <= 0xEF) {
          pending = 2;
          start = offset;
          lead = b;
        } else if (b >= 0xF0 && b <= 0xF4) {
          pending = 3;
          start = offset;
          lead = b;
        } else {
          bad = b;
          break;
        }
        offset++;
      }
      if (bad < 0 && pending > 0) {
        offset = start; // the file ends inside a sequence
        bad = lead;
      }
    }
    return new DataFormatException(
        name
            + ": byte "
            + offset
            + " (line "
            + line
            + ")"
            + (bad >= 0 ? String.format(java.util.Locale.ROOT, ", 0x%02X,", bad) : "")
            + " is not UTF-8 text: a CSV file must be text (a binary file, or one saved in another"
            + " encoding such as Latin-1? save it as UTF-8)",
        "NN806",
        null);
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

  /**
   * A line whose fields are not separated by commas but by semicolons or tabs (as spreadsheets in
   * many locales write): refused naming the separator, rather than read as one field (or, first, as
   * a header).
   */
  private static void checkSeparator(String line, int fields, String name, int lineNumber) {
    for (char separator : new char[] {';', '\t'}) {
      if (line.indexOf(separator) >= 0 && line.split(String.valueOf(separator), -1).length > 1) {
        String shown = separator == ';' ? "';'" : "tabs";
        throw new DataFormatException(
            name
                + ": line "
                + lineNumber
                + ": the fields are separated by "
                + shown
                + " ("
                + line.split(String.valueOf(separator), -1).length
                + " fields; "
                + fields
                + " expected), but nnc reads comma-separated values: replace the "
                + (separator == ';' ? "semicolons" : "tabs")
                + " by commas"
                + (separator == ';' ? " (and decimal commas by points)" : ""),
            "NN802",
            DataFormatException.excerpt(line, line.indexOf(separator), 1));
      }
    }
  }

  /** The column (0-based) where field {@code field} (0-based) of {@code line} starts. */
  private static int fieldStart(String line, int field) {
    int at = 0;
    for (int f = 0; f < field; f++) {
      at = line.indexOf(',', at) + 1;
    }
    return at;
  }

  /** The line with a caret under field {@code field} (0-based), its spaces left out. */
  private static String fieldExcerpt(String line, int field) {
    int start = fieldStart(line, field);
    int end = line.indexOf(',', start);
    end = end < 0 ? line.length() : end;
    String text = line.substring(start, end);
    int lead = text.length() - text.stripLeading().length();
    int length = text.strip().length();
    return DataFormatException.excerpt(line, start + lead, Math.max(1, length));
  }

  private static double number(String text, String file, int line, int field, String row) {
    String value = text.strip();
    if (!DECIMAL.matcher(value).matches()) {
      String why =
          value.equalsIgnoreCase("nan") || value.matches("[+-]?(?i:inf|infinity)")
              ? "is not a finite number"
              : "is not a number";
      throw new DataFormatException(
          file + ": line " + line + ", field " + field + ": '" + value + "' " + why,
          "NN801",
          fieldExcerpt(row, field - 1));
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
              + "' is too large for a double",
          "NN801",
          fieldExcerpt(row, field - 1));
    }
    return parsed;
  }
}
