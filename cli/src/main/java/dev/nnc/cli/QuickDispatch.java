package dev.nnc.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The common forms of the quick commands, run without picocli: {@code check MODEL.nn}, {@code
 * explain MODEL.nn}, {@code predict MODEL.nn --weights W --data D [options]} and {@code train
 * MODEL.nn [options]} (without {@code --spark}). Building picocli's model of nnc's ten commands
 * from their annotations, with its 199 classes loaded from the jar (picocli's class files are Java
 * 5's, which class-data sharing cannot hold), took about 0.15 s of the 0.35 s a {@code check} spent
 * in the JVM.
 *
 * <p>Only arguments that picocli would take without a word are run here, and into the same fields
 * of the same command objects ({@code QuickDispatchTest} compares the two parses): one positional
 * file and each known option at most once, written {@code --name value} or {@code --name=value},
 * with values that cannot be mistaken for options ({@code -…}) or argument files ({@code @…}),
 * numbers in plain decimal, and files that exist. Anything else (the help, a typo, an unknown or
 * repeated option, a missing file, a negative limit) is {@link #NOT_MINE}, and picocli parses it
 * and words the error as before. This class loads no picocli class.
 */
final class QuickDispatch {
  /** What {@link #run} returns when picocli must handle the arguments. */
  static final int NOT_MINE = -1;

  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,9}");
  private static final Pattern REAL =
      Pattern.compile("[0-9]{1,20}(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?");
  private static final Set<String> PREDICT_VALUED =
      Set.of("--weights", "--map", "--data", "--labels", "--x", "--y", "--scale", "--limit");
  private static final Set<String> PREDICT_FLAGS = Set.of("--header", "--logits");
  private static final Set<String> TRAIN_FLAGS = Set.of("--resume");
  private static final Pattern LONG = Pattern.compile("[0-9]{1,18}");
  private static final Set<String> TRAIN_VALUED =
      Set.of(
          "--epochs",
          "--seed",
          "--lr",
          "--optimizer",
          "--batch",
          "--out",
          "--plot",
          "--progress",
          "--checkpoint-every",
          "--threads",
          "--init");

  private QuickDispatch() {}

  /** Runs {@code args} and returns the exit code, or {@link #NOT_MINE}. */
  static int run(PrintWriter out, PrintWriter err, String[] args) {
    if (args.length < 2) {
      return NOT_MINE;
    }
    try {
      switch (args[0]) {
        case "check" -> {
          Path file = singleFile(args);
          return file == null ? NOT_MINE : CheckCommand.run(file, out, err);
        }
        case "explain" -> {
          Path file = singleFile(args);
          return file == null ? NOT_MINE : ExplainCommand.run(file, out);
        }
        case "predict" -> {
          PredictCommand predict = predict(args);
          return predict == null ? NOT_MINE : predict.run(out);
        }
        case "train" -> {
          TrainCommand train = train(args);
          return train == null ? NOT_MINE : train.run(out, err);
        }
        default -> {
          return NOT_MINE;
        }
      }
    } catch (Exception e) {
      return Main.failure(e, err);
    }
  }

  /** The file of {@code check FILE} or {@code explain FILE}, or null. */
  private static Path singleFile(String[] args) {
    return args.length == 2 ? existingFile(args[1]) : null;
  }

  /**
   * {@code predict}'s command object with its fields set as picocli would set them, or null when
   * picocli must parse {@code args} (args[0] is "predict").
   */
  static PredictCommand predict(String[] args) {
    PredictCommand command = new PredictCommand();
    Options options = Options.read(args, PREDICT_FLAGS, PREDICT_VALUED);
    if (options == null) {
      return null;
    }
    for (int o = 0; o < options.names.size(); o++) {
      String name = options.names.get(o);
      String value = options.values.get(o);
      switch (name) {
        case "--header" -> command.header = true;
        case "--logits" -> command.logits = true;
        case "--weights" -> command.weights = existingFile(value);
        case "--data" -> command.data = existingFile(value);
        case "--labels" -> command.labels = existingFile(value);
        case "--map" -> command.map = value;
        case "--x" -> command.inputMember = value;
        case "--y" -> command.targetMember = value;
        case "--scale" -> {
          if (!REAL.matcher(value).matches()) {
            return null;
          }
          command.scale = Double.valueOf(value);
        }
        case "--limit" -> {
          if (!DECIMAL.matcher(value).matches()) {
            return null;
          }
          command.limit = Integer.parseInt(value);
        }
        default -> {
          return null;
        }
      }
      if (name.equals("--weights") && command.weights == null
          || name.equals("--data") && command.data == null
          || name.equals("--labels") && command.labels == null) {
        return null;
      }
    }
    if (options.model == null || command.weights == null || command.data == null) {
      return null;
    }
    command.file = existingFile(options.model);
    return command.file == null ? null : command;
  }

  /**
   * {@code train}'s command object with its fields set as picocli would set them, or null when
   * picocli must parse {@code args} (args[0] is "train"): also every {@code --spark} run, and a
   * {@code --threads} value that is not a count or auto (picocli words the error).
   */
  static TrainCommand train(String[] args) {
    TrainCommand command = new TrainCommand();
    command.plot = LossCurve.Format.PNG; // the options' defaultValue
    command.progress = TrainProgress.Mode.AUTO;
    // the help, --spark and its options, an unknown option: picocli
    Options options = Options.read(args, TRAIN_FLAGS, TRAIN_VALUED);
    if (options == null) {
      return null;
    }
    for (int o = 0; o < options.names.size(); o++) {
      String value = options.values.get(o);
      // the value as picocli converts it; null: picocli must parse these arguments
      Object parsed =
          switch (options.names.get(o)) {
            case "--resume" -> command.resume = true;
            case "--epochs" -> command.epochs = decimal(value);
            case "--checkpoint-every" -> command.checkpointEvery = decimal(value);
            case "--seed" ->
                command.seed = LONG.matcher(value).matches() ? Long.valueOf(value) : null;
            case "--lr" ->
                command.learningRate = REAL.matcher(value).matches() ? Double.valueOf(value) : null;
            case "--optimizer" -> command.optimizer = value;
            case "--batch" -> command.batch = value;
            case "--threads" -> command.threads = Threads.count(value) < 0 ? null : value;
            case "--out" -> command.outDirectory = path(value);
            case "--init" -> command.init = path(value);
            case "--plot" -> command.plot = constant(LossCurve.Format.class, value);
            case "--progress" -> command.progress = constant(TrainProgress.Mode.class, value);
            default -> null;
          };
      if (parsed == null) {
        return null;
      }
    }
    if (options.model == null) {
      return null;
    }
    command.file = existingFile(options.model);
    return command.file == null ? null : command;
  }

  /**
   * The arguments after the command's name as picocli reads them: the one positional argument (the
   * .nn file) and each option, once, with its value ({@code --name value} or {@code --name=value};
   * null for a flag).
   */
  private static final class Options {
    String model;
    final List<String> names = new ArrayList<>();
    final List<String> values = new ArrayList<>();

    /**
     * {@code args[1..]} read, or null when picocli must parse them: a second positional argument,
     * an option twice, an option not in {@code flags} or {@code valued}, a flag given a value, a
     * missing value, or a value picocli would not take as it is.
     */
    static Options read(String[] args, Set<String> flags, Set<String> valued) {
      Options options = new Options();
      Set<String> seen = new HashSet<>();
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--")) {
          if (options.model != null || !plain(arg)) {
            return null;
          }
          options.model = arg;
          continue;
        }
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        if (!seen.add(name)) {
          return null; // picocli: "should be specified only once"
        }
        String value = null;
        if (flags.contains(name)) {
          if (equals >= 0) {
            return null;
          }
        } else if (valued.contains(name)) {
          if (equals >= 0) {
            value = arg.substring(equals + 1);
          } else if (i + 1 < args.length) {
            value = args[++i];
          } else {
            return null;
          }
          if (!plain(value)) {
            return null;
          }
        } else {
          return null;
        }
        options.names.add(name);
        options.values.add(value);
      }
      return options;
    }
  }

  /** A plain decimal int, or null. */
  private static Integer decimal(String value) {
    return DECIMAL.matcher(value).matches() ? Integer.valueOf(value) : null;
  }

  /** The path picocli's converter makes of {@code value}, or null. */
  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** The constant {@link Enums} converts {@code value} to (ignoring case), or null. */
  private static <E extends Enum<E>> E constant(Class<E> type, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.strip())) {
        return constant;
      }
    }
    return null;
  }

  /** A value picocli takes as it is: not empty, no option, no argument file. */
  private static boolean plain(String value) {
    return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@");
  }

  /** The path of a readable regular file, as picocli converts it, or null. */
  private static Path existingFile(String value) {
    if (!plain(value)) {
      return null;
    }
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
    return Files.isRegularFile(path) && Files.isReadable(path) ? path : null;
  }
}
