package dev.nnc.cli;

import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.train.History;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * {@code nnc train MODEL.nn --spark MASTER}: hands the run to nnc-spark's {@code SparkTrain} found
 * by name on the class path, so that the command line has no dependency on Spark. Without it, one
 * message (exit 2) says how to get it.
 */
final class SparkLauncher {
  static final String ENTRY = "dev.nnc.spark.SparkTrain";

  static final String MISSING =
      "nnc: --spark needs nnc-spark and Apache Spark 4.0 on the class path, and they are not."
          + " Set SPARK_HOME to a Spark 4.0 for Scala 2.13: ./nnc then adds its jars and"
          + " spark/target/nnc-spark.jar (built once); or run spark-submit"
          + " spark/target/nnc-spark.jar MODEL.nn (./mvnw -pl spark -am package -DskipTests)";

  private SparkLauncher() {}

  /** Whether nnc-spark is on the class path. */
  static boolean available() {
    return entry() != null;
  }

  private static Method entry() {
    try {
      Class<?> type = Class.forName(ENTRY, false, SparkLauncher.class.getClassLoader());
      return type.getMethod(
          "run", String[].class, PrintStream.class, PrintStream.class, Consumer.class);
    } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
      return null;
    }
  }

  /**
   * Runs SparkTrain with {@code args}; its output goes to {@code out}, its messages to {@code err};
   * {@code done} gets the history after the results are written. Returns SparkTrain's exit status.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err, Consumer<History> done) {
    Method run = entry();
    if (run == null) {
      throw new UserInputException(MISSING);
    }
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      return (Integer) run.invoke(null, args, o, e, done);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(ENTRY + ".run is not public", e);
    } finally {
      out.print(outBytes.toString(StandardCharsets.UTF_8));
      out.flush();
      err.print(errBytes.toString(StandardCharsets.UTF_8));
      err.flush();
    }
  }
}
