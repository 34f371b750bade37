package dev.nnc.emit;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * The one place where user names become Java identifiers. Every identifier derived from a {@code
 * .nn} name goes through {@link #allocate}, which makes it a legal identifier, keeps it clear of
 * the names the generator itself uses, and makes it unique: two names that differ only in case or
 * underscores (say {@code hidden_1} and {@code Hidden1}) would read as the same name, so they get a
 * deterministic numeric suffix ({@code hidden1}, {@code hidden12}) in the order they are allocated.
 *
 * <p>Allocation order is the order of the declarations in the model, so the same model always gets
 * the same names.
 */
final class JavaNames {
  /**
   * Identifiers the generated class uses for itself (fields, methods, locals and parameters) and
   * Object's methods: a derived name never takes one of these, so no user-named field can shadow or
   * be shadowed by them.
   */
  static final List<String> RESERVED =
      List.of(
          // constants and fields
          "INPUT",
          "OUTPUT",
          "PARAMETERS",
          "BATCH",
          "SPEC",
          "maxRows",
          "penaltyExampleCount",
          "outputRows",
          // methods
          "spec",
          "loss",
          "lossAndGradient",
          "predict",
          "lastOutputs",
          "sgdStep",
          "setPenaltyExampleCount",
          "getParameters",
          "setParameters",
          "getGradient",
          "initialize",
          "trainConfig",
          "inlineData",
          "recipe",
          "loadInput",
          "loadBatch",
          "newBatch",
          "forward",
          "backward",
          "zeroGradients",
          "lossAndDelta",
          "dataLoss",
          "penaltySquares",
          "penaltyAbsolutes",
          "addPenaltyGradient",
          "penaltyScale",
          "parseDoubles",
          "checkBatch",
          "checkLength",
          "axpy4",
          "axpy1",
          "transposeWeights",
          "setThreads",
          "threads",
          "splitRows",
          "blockRows",
          "BLOCK_ROWS",
          "pool",
          "pendingBatch",
          "pendingRows",
          "pendingParts",
          "blockLosses",
          "blockTask",
          "weightsTask",
          "runBlock",
          "runWeights",
          "blocks",
          "block",
          "b",
          "gradient",
          "blockLossAndGradient",
          "lossAndGradientPart",
          "weightGradients",
          "lossAndGradientOfFixed",
          "heldFixed",
          "heldRows",
          "heldInputs",
          "fixed",
          "second",
          "half",
          "from",
          "to",
          "dW",
          "dB",
          "firstLoss",
          "setDropout",
          "dropoutSeed",
          "dropoutStep",
          "dropping",
          "dropoutRowOffset",
          "CLASS_WEIGHTS",
          // locals and parameters
          "key",
          "mRow",
          "dRow",
          "w",
          "rowScale",
          "seed",
          "r",
          "i",
          "j",
          "rows",
          "batch",
          "part",
          "parts",
          "iFrom",
          "iTo",
          "first",
          "chunk",
          "base",
          "sum",
          "max",
          "scale",
          "dot",
          "label",
          "diff",
          "xi",
          "z",
          "a",
          "t",
          "m",
          "e",
          "sumExp",
          "squares",
          // the penalty's partial sums
          "s0",
          "s1",
          "s2",
          "s3",
          "s4",
          "s5",
          "s6",
          "s7",
          "factor",
          "step",
          "dst",
          "src",
          "out",
          "inputs",
          "learningRate",
          "offset",
          "flat",
          "row",
          "chunks",
          "text",
          "values",
          "count",
          "xRow",
          "zRow",
          "aRow",
          "wRow",
          "dzRow",
          "daRow",
          "dxRow",
          "dwRow",
          "outRow",
          "inRow",
          "dataLoss",
          "i0",
          "i1",
          "r0",
          "r1",
          "c",
          "n",
          "a0",
          "a1",
          "a2",
          "a3",
          "b0",
          "b1",
          "b2",
          "b3",
          "b",
          // java.lang.Object
          "equals",
          "hashCode",
          "toString",
          "getClass",
          "notify",
          "notifyAll",
          "wait",
          "clone",
          "finalize");

  private final Set<String> taken = new HashSet<>();

  JavaNames() {
    for (String name : RESERVED) {
      taken.add(fold(name));
    }
  }

  /**
   * A new identifier based on {@code candidate}: the candidate itself when it is free, else the
   * candidate followed by 2, 3, … (separated by {@code _} for UPPER_SNAKE candidates).
   */
  String allocate(String candidate) {
    String base = legal(candidate);
    String name = base;
    String separator = isUpperSnake(base) ? "_" : "";
    for (int n = 2; SourceVersion.isKeyword(name) || taken.contains(fold(name)); n++) {
      name = base + separator + n;
    }
    taken.add(fold(name));
    return name;
  }

  /** Whether {@code name} (already an identifier) has been allocated or is reserved. */
  boolean isTaken(String name) {
    return taken.contains(fold(name));
  }

  /**
   * {@code hidden_layer} → {@code hiddenLayer}, {@code Out} → {@code out}, {@code XOR} → {@code
   * xor}: the lowerCamelCase stem fields and methods are built on.
   */
  static String lowerCamel(String userName) {
    StringBuilder out = new StringBuilder();
    for (String part : legal(userName).split("_")) {
      if (part.isEmpty()) {
        continue;
      }
      if (out.length() == 0) {
        out.append(decapitalize(part));
      } else {
        out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return out.length() == 0 ? "n" : out.toString();
  }

  /** {@code hiddenLayer} → {@code HiddenLayer}, for names built as {@code d + Capitalized}. */
  static String capitalize(String camel) {
    return Character.toUpperCase(camel.charAt(0)) + camel.substring(1);
  }

  /** {@code hiddenLayer2} → {@code HIDDEN_LAYER2}: the stem of constants. */
  static String upperSnake(String camel) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < camel.length(); k++) {
      char c = camel.charAt(k);
      if (k > 0 && Character.isUpperCase(c) && !Character.isUpperCase(camel.charAt(k - 1))) {
        out.append('_');
      }
      out.append(Character.toUpperCase(c));
    }
    return out.toString();
  }

  /**
   * User text made safe inside a {@code //} or {@code /* … *}{@code /} comment: it cannot close the
   * comment, start a new line, or smuggle a unicode escape ({@code \u000a} ends a line comment
   * before javac even tokenises): every backslash is doubled, which makes each {@code \\u}
   * ineligible as an escape.
   */
  static String commentText(String userText) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < userText.length(); k++) {
      char c = userText.charAt(k);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '*' && k + 1 < userText.length() && userText.charAt(k + 1) == '/') {
        out.append("*_");
      } else if (c == '/' && k + 1 < userText.length() && userText.charAt(k + 1) == '*') {
        out.append("/_"); // no nested comment openers either, to keep the text readable
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append('?');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Names are compared as a reader would: ignoring case and underscores. */
  private static String fold(String name) {
    return name.replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** Any character outside [A-Za-z0-9_] becomes '_'; a leading digit or '_' gets an 'n' first. */
  private static String legal(String text) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      out.append(ok ? c : '_');
    }
    if (out.length() == 0 || !Character.isLetter(out.charAt(0))) {
      out.insert(0, 'n');
    }
    return out.toString();
  }

  /**
   * {@code Hidden} → {@code hidden}, {@code XOR} → {@code xor}, {@code URLNet} → {@code urlNet}.
   */
  private static String decapitalize(String part) {
    int upper = 0;
    while (upper < part.length() && Character.isUpperCase(part.charAt(upper))) {
      upper++;
    }
    if (upper == 0) {
      return part;
    }
    if (upper == part.length() || upper == 1) {
      return part.substring(0, upper).toLowerCase(Locale.ROOT) + part.substring(upper);
    }
    // "URLNet": keep the capital that starts the next word
    return part.substring(0, upper - 1).toLowerCase(Locale.ROOT) + part.substring(upper - 1);
  }

  private static boolean isUpperSnake(String name) {
    return name.equals(name.toUpperCase(Locale.ROOT)) && name.length() > 1;
  }
}
