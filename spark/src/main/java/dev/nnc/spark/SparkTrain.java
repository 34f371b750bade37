package dev.nnc.spark;

import dev.nnc.pipeline.DataLoading;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code spark-submit} entry point: compiles a {@code .nn} file on the driver, reads the
 * training data with Spark, trains with {@link SparkTrainer} and writes what {@code nnc train}
 * writes ({@code <Name>.npz}, {@code <Name>-history.csv}) into the output folder.
 *
 * <pre>
 * spark-submit --master spark://host:7077 nnc-spark.jar model.nn [--data rows.parquet]
 *     [--format parquet|csv|json|orc] [--features a,b,c] [--targets y] [--out DIR]
 *     [--partitions N] [--epochs N | --steps N]
 *     [--checkpoint-every N] [--resume] [--master URL]
 * </pre>
 *
 * Without {@code --data}, the rows of the {@code .nn} file's {@code data} statement (loaded on the
 * driver as {@code nnc train} loads them, then one array column per side); a validation split there
 * is not used. {@code nnc train model.nn --spark MASTER} calls {@link #run(String[], PrintStream,
 * PrintStream, Consumer)} by reflection when this module and Spark are on its class path.
 *
 * <p>Exit status 0 on success, 2 for bad input (the {@code .nn} file, the data, the options, a
 * checkpoint of something else), 1 when training diverged; messages, never a stack trace.
 */
public final class SparkTrain {
  private SparkTrain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static final String USAGE =
      "usage: spark-submit nnc-spark.jar MODEL.nn [--data PATH] [--format parquet|csv|json|orc]"
          + " [--features COLS] [--targets COLS] [--out DIR] [--partitions N]"
          + " [--epochs N | --steps N] [--checkpoint-every N] [--resume] [--master URL]";

  /** Runs the command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, history -> {});
  }

  /**
   * Runs the command; returns the exit status, and gives the training history to {@code done} once
   * the results are written (the command line draws its loss curve from it).
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Consumer<History> done) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("nnc-spark: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    SparkSession spark = null;
    boolean created = false;
    try {
      SparkModel model = SparkModel.compile(options.model);
      TrainConfig recipe =
          model
              .trainConfig()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          options.model + " has no train block: the recipe comes from it"));
      if (options.epochs != null) {
        recipe = recipe.withEpochs(options.epochs);
      }
      if (options.steps != null) {
        recipe =
            new TrainConfig(
                recipe.learningRate(),
                recipe.decayPerEpoch(),
                recipe.batchSize(),
                recipe.shuffle(),
                recipe.withReplacement(),
                0,
                options.steps,
                recipe.seed(),
                recipe.optimizer(),
                recipe.schedule());
      }
      Path outDirectory = options.out != null ? options.out : Path.of("runs").resolve(model.name());
      SparkTrainer trainer =
          new SparkTrainer(model)
              .config(recipe)
              .source(options.data != null ? options.data : options.model.toString());
      if (options.partitions != null) {
        trainer.partitions(options.partitions);
      }
      if (options.features != null) {
        trainer.features(options.features.toArray(String[]::new));
      }
      if (options.targets != null) {
        trainer.targets(options.targets.toArray(String[]::new));
      }
      if (options.checkpointEvery != null || options.resume) {
        trainer.checkpointEvery(
            options.checkpointEvery == null ? 1 : options.checkpointEvery,
            outDirectory.resolve(model.name() + "-checkpoint.npz"));
        trainer.resume(options.resume);
      }
      Dataset inline = null;
      if (options.data == null) {
        inline =
            DataLoading.rows(model.model(), options.model)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            options.model
                                + " has no data statement: give the rows with --data PATH"))
                .training();
        trainer.source(inline.source());
      }
      created = SparkSession.getActiveSession().isEmpty();
      SparkSession.Builder builder = SparkSession.builder().appName("nnc " + model.name());
      if (options.master != null) {
        builder.master(options.master);
      }
      spark = builder.getOrCreate();
      DataFrameReader reader = spark.read().format(options.format);
      if (options.format.equals("csv")) {
        reader = reader.option("header", "true").option("inferSchema", "true");
      }
      org.apache.spark.sql.Dataset<Row> data =
          inline != null ? frame(spark, model.spec(), inline) : reader.load(options.data);
      SparkTrainingResult result = trainer.train(data);
      EpochRecord last = result.history().last();
      out.printf(
          "trained %s on %d rows in %d blocks of %d: loss %.6g after epoch %d%n",
          model.name(),
          result.rows(),
          result.blocks(),
          result.blockRows(),
          last.meanLoss(),
          last.epoch());
      if (result.history().stoppedEarly()) {
        out.println(result.history().stopReason());
      }
      result.write(outDirectory);
      out.println(
          "wrote "
              + outDirectory.resolve(model.name() + ".npz")
              + " and "
              + outDirectory.resolve(model.name() + "-history.csv"));
      done.accept(result.history());
      return 0;
    } catch (UserInputException e) {
      err.println(e.getMessage());
      return 2;
    } catch (SparkDataException | IllegalArgumentException e) { // and CheckpointMismatchException
      err.println("nnc-spark: " + e.getMessage());
      return 2;
    } catch (TrainingDivergedException e) {
      err.println("nnc-spark: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("nnc-spark: cannot write the results: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      // Spark's AnalysisException (a path that does not exist, a bad format) is checked in Java
      if (e.getClass().getName().equals("org.apache.spark.sql.AnalysisException")) {
        err.println("nnc-spark: " + options.data + ": " + e.getMessage());
        return 2;
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      if (spark != null && created) {
        spark.stop();
      }
    }
  }

  /**
   * Rows loaded on the driver as a DataFrame: the input as one {@code array<double>} column named
   * as the {@code .nn} input, the labels as an int column or the targets as one array column, both
   * named as the {@code .nn} target, in the rows' order (one partition per 64k rows).
   */
  static org.apache.spark.sql.Dataset<Row> frame(
      SparkSession spark, NetworkSpec spec, Dataset rows) {
    boolean labels = rows.hasLabels();
    StructType schema =
        new StructType()
            .add(spec.inputName(), DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add(
                spec.targetName(),
                labels
                    ? DataTypes.IntegerType
                    : DataTypes.createArrayType(DataTypes.DoubleType, false),
                false);
    int w = rows.inputWidth();
    int t = rows.targetWidth();
    List<Row> list = new ArrayList<>(rows.rows());
    for (int r = 0; r < rows.rows(); r++) {
      double[] x = java.util.Arrays.copyOfRange(rows.x(), r * w, (r + 1) * w);
      Object target =
          labels
              ? (Object) rows.labels()[r]
              : java.util.Arrays.copyOfRange(rows.targets(), r * t, (r + 1) * t);
      list.add(RowFactory.create(x, target));
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(1, (rows.rows() + 65535) / 65536);
    return spark.createDataFrame(context.parallelize(list, slices), schema);
  }

  /** The command line. */
  static final class Options {
    Path model;
    String data;
    String format = "parquet";
    Path out;
    List<String> features;
    List<String> targets;
    Integer partitions;
    Integer epochs;
    Integer steps;
    Integer checkpointEvery;
    boolean resume;
    String master;

    static Options parse(String[] args) {
      Options o = new Options();
      List<String> positional = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--resume" -> o.resume = true;
          case "--data" -> o.data = value(args, ++i, arg);
          case "--format" -> o.format = value(args, ++i, arg);
          case "--out" -> o.out = Path.of(value(args, ++i, arg));
          case "--features" -> o.features = List.of(value(args, ++i, arg).split(","));
          case "--targets" -> o.targets = List.of(value(args, ++i, arg).split(","));
          case "--partitions" -> o.partitions = positive(args, ++i, arg);
          case "--epochs" -> o.epochs = positive(args, ++i, arg);
          case "--steps" -> o.steps = positive(args, ++i, arg);
          case "--checkpoint-every" -> o.checkpointEvery = positive(args, ++i, arg);
          case "--master" -> o.master = value(args, ++i, arg);
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            positional.add(arg);
          }
        }
      }
      if (positional.size() != 1) {
        throw new IllegalArgumentException("expected one .nn file, got " + positional.size());
      }
      if (o.epochs != null && o.steps != null) {
        throw new IllegalArgumentException("--epochs and --steps exclude each other");
      }
      if (!List.of("parquet", "csv", "json", "orc").contains(o.format)) {
        throw new IllegalArgumentException(
            "--format must be parquet, csv, json or orc, got " + o.format);
      }
      o.model = Path.of(positional.get(0));
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int positive(String[] args, int i, String option) {
      String text = value(args, i, option);
      try {
        int n = Integer.parseInt(text);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new IllegalArgumentException(option + " needs a positive whole number, got " + text);
    }
  }
}
