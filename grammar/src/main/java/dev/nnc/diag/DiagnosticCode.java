package dev.nnc.diag;

import java.util.Locale;

/**
 * Every kind of diagnostic nnc reports, with a stable code, a severity and a message template
 * ({@link String#format} with {@code %s} slots). Codes never change meaning once released: NN0xx
 * files, NN1xx syntax, NN2xx names, shapes and semantics, NN3xx the train block and its data, NN4xx
 * limits, NN5xx convolution and pooling, NN900 internal. {@code docs/diagnostics.md} lists them
 * all.
 */
public enum DiagnosticCode {
  // NN0xx: files
  CANNOT_READ_FILE("NN001", Severity.ERROR, "cannot read file: %s"),
  MALFORMED_UTF8("NN002", Severity.ERROR, "file is not valid UTF-8: %s"),
  NO_NETWORK("NN003", Severity.ERROR, "the file has no network block"),

  // NN1xx: syntax
  UNEXPECTED_CHARACTER("NN101", Severity.ERROR, "unexpected character %s"),
  SYNTAX_ERROR("NN102", Severity.ERROR, "%s"),
  BAD_NUMBER("NN103", Severity.ERROR, "bad number '%s'"),
  NUMBER_OUT_OF_RANGE("NN104", Severity.ERROR, "number '%s' is out of range"),
  UNTERMINATED_STRING(
      "NN105", Severity.ERROR, "the string is not closed on its line; end it with '\"'"),
  BAD_STRING_CHARACTER("NN106", Severity.ERROR, "%s"),

  // NN2xx: names, shapes, semantics
  UNKNOWN_STATEMENT("NN201", Severity.ERROR, "unknown statement '%s'; expected one of %s"),
  MISPLACED_STATEMENT("NN202", Severity.ERROR, "'%s' belongs in the %s block"),
  INIT_SHAPE_MISMATCH("NN203", Severity.ERROR, "%s"),
  DUPLICATE_BLOCK("NN204", Severity.ERROR, "a file holds one %s block; this is the second"),
  INVALID_NAME("NN205", Severity.ERROR, "name '%s' %s"),
  RESERVED_NAME("NN206", Severity.ERROR, "name '%s' is reserved in Java; choose another"),
  NAME_TOO_LONG("NN207", Severity.ERROR, "name '%s…' is %s characters long; the limit is 64"),
  DUPLICATE_NAME("NN208", Severity.ERROR, "name '%s' is already used by the %s on line %s"),
  DUPLICATE_DIMENSION("NN209", Severity.ERROR, "dimension '%s' is already defined on line %s"),
  UNKNOWN_DIMENSION("NN210", Severity.ERROR, "unknown dimension '%s'"),
  NON_POSITIVE_SIZE("NN211", Severity.ERROR, "the size of '%s' must be a positive integer, got %s"),
  UNKNOWN_ACTIVATION("NN212", Severity.ERROR, "unknown activation '%s'; expected one of %s"),
  UNKNOWN_INIT("NN213", Severity.ERROR, "unknown init '%s'; expected one of %s"),
  INIT_ARGUMENT_COUNT("NN214", Severity.ERROR, "init %s takes %s, got %s"),
  MISSING_INPUT("NN215", Severity.ERROR, "network '%s' has no input statement"),
  SECOND_INPUT("NN216", Severity.ERROR, "a network has exactly one input; '%s' is the second"),
  INPUT_NOT_FIRST(
      "NN217", Severity.ERROR, "the input must come before the layers; '%s' comes after %s"),
  NO_DENSE_LAYER("NN218", Severity.ERROR, "network '%s' has no dense layer"),
  MISSING_LOSS("NN219", Severity.ERROR, "network '%s' has no loss statement"),
  SECOND_LOSS("NN220", Severity.ERROR, "a network has exactly one loss; this is the second"),
  UNKNOWN_LOSS("NN221", Severity.ERROR, "unknown loss '%s'; expected one of %s"),
  UNKNOWN_REDUCTION("NN222", Severity.ERROR, "unknown reduction '%s'; expected one of %s"),
  LOSS_NOT_ON_LAST_LAYER(
      "NN223", Severity.ERROR, "the loss must read the last layer '%s', not '%s'"),
  LOSS_OUTPUT_UNKNOWN("NN224", Severity.ERROR, "the loss reads '%s', which is not a layer"),
  LOSS_TARGET_UNKNOWN(
      "NN225",
      Severity.ERROR,
      "the loss compares with '%s', which is not a declared target or label"),
  LOSS_TARGET_KIND("NN226", Severity.ERROR, "%s"),
  TARGET_WIDTH_MISMATCH(
      "NN227", Severity.ERROR, "target '%s' is %s wide, but the output '%s' is %s wide"),
  SOFTMAX_CROSS_ENTROPY_ACTIVATION(
      "NN228",
      Severity.ERROR,
      "softmax_cross_entropy needs the raw scores of '%s', but '%s' applies %s; remove the"
          + " activation (nnc predict and the generated class give softmax probabilities)"),
  BINARY_CROSS_ENTROPY_ACTIVATION(
      "NN229",
      Severity.ERROR,
      "binary_cross_entropy needs probabilities, but '%s' applies %s; use sigmoid"),
  SECOND_TARGET("NN230", Severity.ERROR, "a network has one target or label; '%s' is the second"),
  UNKNOWN_PRECISION("NN231", Severity.ERROR, "unknown precision '%s'; expected float or double"),
  REPEATED_OPTION("NN232", Severity.ERROR, "'%s' is given twice for dense '%s'"),
  BIAS_INIT_WITHOUT_BIAS(
      "NN233", Severity.ERROR, "dense '%s' has nobias, so it cannot take a bias init"),
  BAD_POWER("NN234", Severity.ERROR, "powers must be positive integers, got %s"),
  BAD_STANDARDIZE("NN235", Severity.ERROR, "%s"),
  UNKNOWN_PENALTY("NN236", Severity.ERROR, "unknown penalty '%s'; expected l1 or l2"),
  POWERS_ON_TARGET("NN237", Severity.ERROR, "powers applies to the input only, not to target '%s'"),
  REPEATED_STATEMENT("NN240", Severity.ERROR, "'%s' is given twice"),
  UNUSED_DIMENSION("NN250", Severity.WARNING, "dimension '%s' is never used"),

  // NN3xx: the train block and its data
  MISSING_OPTIMIZER("NN301", Severity.ERROR, "the train block has no optimizer"),
  UNKNOWN_OPTIMIZER(
      "NN302", Severity.ERROR, "unknown optimizer '%s'; expected one of sgd, adam, cg, lbfgs"),
  BAD_LEARNING_RATE(
      "NN303", Severity.ERROR, "the learning rate must be positive and finite, got %s"),
  BAD_BATCH_SIZE("NN304", Severity.ERROR, "the batch size must be a positive integer, got %s"),
  EPOCHS_OR_STEPS("NN305", Severity.ERROR, "%s"),
  BAD_DECAY("NN306", Severity.ERROR, "decay must be in (0, 1], got %s"),
  BAD_OPTIMIZER_ARGUMENT("NN307", Severity.ERROR, "%s"),
  BAD_COUNT("NN308", Severity.ERROR, "%s must be %s integer, got %s"),
  BAD_OPTIMIZER_VALUE("NN309", Severity.ERROR, "%s must be %s, got %s"),
  RAGGED_DATA("NN310", Severity.ERROR, "row %s of '%s' has %s values, but row 1 has %s"),
  DATA_WIDTH_MISMATCH("NN311", Severity.ERROR, "%s"),
  DATA_ROW_COUNT_MISMATCH("NN312", Severity.ERROR, "'%s' has %s rows, but '%s' has %s"),
  BAD_LABEL("NN313", Severity.ERROR, "%s"),
  DATA_UNKNOWN_NAME(
      "NN314", Severity.ERROR, "data names '%s', which is neither the input nor the target"),
  DATA_MISSING_ENTRY("NN315", Severity.ERROR, "data inline has no entry for the %s '%s'"),
  DATA_REPEATED_ENTRY("NN316", Severity.ERROR, "data inline gives '%s' twice"),
  DATA_EMPTY("NN317", Severity.ERROR, "data inline has no rows for '%s'; give at least one"),
  FULL_BATCH_OPTIMIZER("NN318", Severity.ERROR, "%s"),
  INLINE_AND_FILE_DATA(
      "NN319",
      Severity.ERROR,
      "data inline cannot be combined with a data file; keep one 'data' statement"),
  VALIDATE_WITHOUT_DATA(
      "NN320", Severity.ERROR, "validate measures a model trained on data; add a 'data' statement"),
  UNKNOWN_DATA_SOURCE("NN321", Severity.ERROR, "unknown data source '%s'; expected one of %s"),
  BAD_SOURCE_ARGUMENTS("NN322", Severity.ERROR, "%s"),
  BAD_NPZ_MEMBER("NN323", Severity.ERROR, "%s"),
  IDX_DENSE_TARGET(
      "NN324",
      Severity.ERROR,
      "idx files hold integer class labels, but '%s' is a dense target; declare it as 'label %s'"),
  IDX_NOT_SQUARE(
      "NN325",
      Severity.WARNING,
      "idx images are rows × columns pixels, but the input '%s' is %s wide, not a square"),
  EMPTY_PATH("NN326", Severity.ERROR, "%s may not be empty"),
  BAD_SOURCE_VALUE("NN327", Severity.ERROR, "%s must be %s, got %s"),
  MISSING_DATA_FILE(
      "NN328",
      Severity.WARNING,
      "data file '%s' does not exist (%s); nnc train will fail until it does"),

  // NN4xx: limits
  DIMENSION_TOO_LARGE("NN401", Severity.ERROR, "%s is %s; the largest size is 2147483647"),
  TENSOR_TOO_LARGE(
      "NN402", Severity.ERROR, "tensor '%s' would have %s elements; the limit is 2147483647"),
  MEMORY_TOO_LARGE(
      "NN403",
      Severity.ERROR,
      "network '%s' needs %s for parameters, gradients and the buffers of a batch of %s;"
          + " the limit is 16 GiB"),
  NESTING_TOO_DEEP("NN404", Severity.ERROR, "brackets nested deeper than %s"),

  // NN5xx: convolution, pooling and image inputs
  BAD_INPUT_SHAPE(
      "NN501",
      Severity.ERROR,
      "input '%s' has %s dimensions; give one (a width) or three (channels, height, width)"),
  SPATIAL_WITHOUT_IMAGE(
      "NN502",
      Severity.ERROR,
      "%s '%s' reads images, but input '%s' is flat; declare it as %s[channels, height, width]"),
  SPATIAL_AFTER_DENSE(
      "NN503",
      Severity.ERROR,
      "%s '%s' comes after dense '%s'; convolution and pooling come before the dense layers"),
  MISSING_KERNEL("NN504", Severity.ERROR, "%s '%s' needs a kernel: kernel 3 or kernel (3, 5)"),
  BAD_WINDOW_VALUE("NN505", Severity.ERROR, "the %s of %s '%s' must be %s, got %s"),
  WINDOW_TOO_LARGE(
      "NN506", Severity.ERROR, "the %s kernel of %s '%s' does not fit its input, %s%s"),
  OPTION_NOT_ALLOWED("NN507", Severity.ERROR, "%s '%s' does not take %s"),
  REPEATED_LAYER_OPTION("NN508", Severity.ERROR, "'%s' is given twice for %s '%s'"),
  MISPLACED_FLATTEN(
      "NN509",
      Severity.ERROR,
      "flatten '%s' must come after the last convolution or pooling and before the first dense"
          + " layer"),
  POWERS_ON_IMAGE(
      "NN510", Severity.ERROR, "powers applies to flat inputs; input '%s' is an image (%s)"),

  // NN7xx: validation, metrics, probabilities and the training features of issue 15
  ONEHOT_OF_ONE_CLASS(
      "NN701",
      Severity.ERROR,
      "onehot(%s) against the one-wide output '%s' has a single class, so any label but 0 is out of"
          + " range; for 0/1 labels write binary_cross_entropy(%s, %s) with a sigmoid on '%s', or"
          + " widen the output to the number of classes"),
  UNKNOWN_VALIDATION(
      "NN702",
      Severity.ERROR,
      "unknown validation '%s'; expected split(FRACTION), or a data source: idx, npz, csv"),
  BAD_SPLIT(
      "NN703",
      Severity.ERROR,
      "the validation split is the share of the training rows to hold out, between 0 and 1"
          + " (exclusive), got %s; split(0.2) holds out 20%%"),
  UNKNOWN_STOP_RULE(
      "NN704", Severity.ERROR, "unknown stop rule '%s'; write stop early(patience = N)"),
  BAD_STOP_ARGUMENT("NN705", Severity.ERROR, "%s"),
  UNKNOWN_MONITOR("NN706", Severity.ERROR, "unknown monitor '%s'; expected %s"),
  MONITOR_WITHOUT_VALIDATION(
      "NN707",
      Severity.ERROR,
      "stop early monitors %s, which needs validation rows; add 'validate split(0.2)' or a validate"
          + " statement, or monitor = loss"),
  BAD_PENALTY("NN708", Severity.ERROR, "%s"),
  UNKNOWN_SCHEDULE(
      "NN709",
      Severity.ERROR,
      "unknown schedule '%s'; expected step(every = K, factor = F), exponential(factor = F) or"
          + " cosine(min_lr = M), each with an optional warmup = W"),
  BAD_SCHEDULE("NN710", Severity.ERROR, "%s"),
  BAD_DROPOUT("NN711", Severity.ERROR, "%s"),
  UNKNOWN_LOSS_OPTION(
      "NN714",
      Severity.ERROR,
      "unknown loss option '%s'; after the loss come reduce REDUCTION and class_weights(…)%s"),
  CLASS_WEIGHTS_WITHOUT_LABELS(
      "NN715",
      Severity.ERROR,
      "class_weights needs class labels, but '%s' is a dense target; declare label y, or weight"
          + " the rows in the data"),
  BAD_CLASS_WEIGHTS("NN716", Severity.ERROR, "%s"),
  DROPOUT_ON_OUTPUT(
      "NN712",
      Severity.ERROR,
      "dropout on the output layer '%s' would zero the outputs the loss reads; put it on a hidden"
          + " layer (the one before '%s')"),
  DROPOUT_WITH_LINE_SEARCH(
      "NN713",
      Severity.ERROR,
      "dropout draws new masks every step, but %s searches along one fixed objective; use sgd or"
          + " adam, or remove the dropout"),

  // NN900: a bug in nnc itself
  INTERNAL_ERROR("NN900", Severity.ERROR, "internal error: %s (please report this)");

  private final String code;
  private final Severity severity;
  private final String template;

  DiagnosticCode(String code, Severity severity, String template) {
    this.code = code;
    this.severity = severity;
    this.template = template;
  }

  /** The stable code, {@code NN203}. */
  public String code() {
    return code;
  }

  public Severity severity() {
    return severity;
  }

  public String template() {
    return template;
  }

  /** The template with its {@code %s} slots filled in order. */
  public String format(Object... arguments) {
    return String.format(Locale.ROOT, template, arguments);
  }
}
