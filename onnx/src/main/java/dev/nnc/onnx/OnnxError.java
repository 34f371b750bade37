package dev.nnc.onnx;

import dev.nnc.pipeline.UserInputException;

/**
 * The ONNX diagnostics, each with a stable code (docs/onnx.md): {@code model.onnx: error: message
 * [NX101]}. Thrown as {@link UserInputException}, so the CLI prints the line and exits 2.
 */
enum OnnxError {
  /** The file cannot be read, or is not an ONNX model (truncated, not protobuf, no graph). */
  NX001,
  /** The file is larger than an ONNX protobuf can be (2 GiB), or uses external data. */
  NX002,
  /** The model's default-domain opset is outside 11..17. */
  NX003,
  /** An operator nnc does not import. */
  NX101,
  /** A supported operator with an attribute value nnc does not import. */
  NX102,
  /** The graph is not a chain of layers (branches, cycles, an op in the wrong place). */
  NX103,
  /** A weight or constant the graph names is missing, or is computed rather than stored. */
  NX104,
  /** An element type other than float32 / float64, or a model mixing the two. */
  NX105,
  /**
   * A shape nnc cannot take: not (N, features), a dimension too large, a weight that does not fit.
   */
  NX106,
  /** A network nnc cannot export (the weights do not fit it). */
  NX201;

  UserInputException at(String fileName, String message) {
    // Names in the message come from the file: one line, whatever they hold.
    return new UserInputException(
        Printable.of(fileName) + ": error: " + escapeLines(message) + " [" + name() + "]");
  }

  private static String escapeLines(String message) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (Character.isISOControl(c) || c == (char) 0x2028 || c == (char) 0x2029) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
