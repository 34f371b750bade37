package dev.nnc.spark;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.TrainListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster: a Spark Master and two Workers started by the test as separate JVMs
 * from its own class path, on 127.0.0.1 with ephemeral ports (SPARK_LOCAL_IP keeps the web UIs on
 * loopback too), the training submitted from this JVM (client mode), the generated class shipped as
 * bytes. Then one executor JVM is killed with SIGKILL during training: Spark reruns its tasks (the
 * lost cached blocks are rebuilt from the lineage) and the weights are still those of the
 * single-machine run, bit for bit.
 */
class StandaloneClusterTest {
  @TempDir static Path home;
  static final List<Process> started = new ArrayList<>();
  static String masterUrl;
  static String classPath;

  @BeforeAll
  static void startCluster() throws Exception {
    classPath = System.getProperty("java.class.path");
    Files.createDirectories(home.resolve("jars")); // the launcher wants SPARK_HOME/jars to exist
    Process master =
        start(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--webui-port",
            "0");
    masterUrl =
        await(
            home.resolve("master.log"),
            Pattern.compile("Starting Spark master at (spark://\\S+)"),
            master);
    for (int i = 1; i <= 2; i++) {
      Path work = Files.createDirectories(home.resolve("work" + i));
      Process worker =
          start(
              "worker" + i,
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--webui-port",
              "0",
              "--cores",
              "1",
              "--memory",
              "1g",
              "--work-dir",
              work.toString(),
              masterUrl);
      await(
          home.resolve("worker" + i + ".log"),
          Pattern.compile("(Successfully registered with master)"),
          worker);
    }
  }

  static Process start(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    for (String flag : System.getProperty("spark.jvm.flags", "").split(" ")) {
      if (!flag.isBlank()) {
        command.add(flag);
      }
    }
    command.add(
        "-Dlog4j2.configurationFile="
            + Path.of("src/test/resources/cluster-log4j2.properties").toAbsolutePath());
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("SPARK_HOME", home.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
    builder.redirectErrorStream(true);
    builder.redirectOutput(home.resolve(name + ".log").toFile());
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /** Waits (up to 3 minutes: the machine may be busy) for a line of the log; returns group 1. */
  static String await(Path log, Pattern pattern, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (m.find()) {
          return m.group(1);
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(log + " ended:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + pattern + "' in " + log + ":\n" + Files.readString(log));
  }

  @AfterAll
  static void stopCluster() {
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  static SparkSession session() {
    return SparkSession.builder()
        .master(masterUrl)
        .appName("nnc-spark-cluster-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.extraClassPath", classPath)
        .config(
            "spark.executor.extraJavaOptions",
            "-Dlog4j2.configurationFile="
                + Path.of("src/test/resources/cluster-log4j2.properties").toAbsolutePath())
        .config("spark.executor.memory", "512m")
        .config("spark.executor.cores", "1")
        .config("spark.cores.max", "2")
        .getOrCreate();
  }

  /** The executor JVMs: the workers' child processes (a worker starts nothing else). */
  static List<ProcessHandle> executors() {
    List<ProcessHandle> executors = new ArrayList<>();
    for (Process process : started.subList(1, started.size())) {
      process.children().filter(ProcessHandle::isAlive).forEach(executors::add);
    }
    return executors;
  }

  @Test
  void theClusterGivesTheLocalBitsEvenWhenAnExecutorIsKilled() throws Exception {
    SparkModel model = SparkModel.compile(SparkTrainerTest.NN);
    Dataset raw = TestData.raw(TestData.ROWS, 11);
    TrainConfig lbfgs = new TrainConfig(1, 1, 0, false, false, 4, 0, 7, OptimizerSpec.lbfgs(5));
    TrainConfig adam =
        new TrainConfig(0.02, 1, 2048, false, true, 0, 12, 7, OptimizerSpec.adam(0.9, 0.999, 1e-8));
    double[] localLbfgs = new SparkTrainer(model).config(lbfgs).trainLocal(raw).parameters();
    double[] localAdam = new SparkTrainer(model).config(adam).trainLocal(raw).parameters();

    SparkSession spark = session();
    try {
      AtomicInteger removed = new AtomicInteger();
      spark
          .sparkContext()
          .addSparkListener(
              new SparkListener() {
                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
                  removed.incrementAndGet();
                }
              });
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
      while (executors().size() < 2 || spark.sparkContext().getExecutorMemoryStatus().size() < 3) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the executors did not start:\n" + logs());
        }
        Thread.sleep(200);
      }
      var frame = TestData.frame(spark, raw, 4);
      double[] cluster = new SparkTrainer(model).config(lbfgs).train(frame).parameters();
      assertThat(cluster).usingExactEquality().containsExactly(localLbfgs).inOrder();

      // Kill one executor JVM (SIGKILL) while step 3's tasks are running.
      List<ProcessHandle> victims = new ArrayList<>();
      TrainListener killer =
          new TrainListener() {
            @Override
            public void onStep(int epoch, int step, double loss) {
              if (epoch == 1 && step == 2) {
                ProcessHandle victim = executors().get(0);
                victims.add(victim);
                Thread kill =
                    new Thread(
                        () -> {
                          sleep(30);
                          victim.destroyForcibly();
                        });
                kill.start();
              }
              if (epoch == 2 && step == 2) {
                // the loss must have reached the driver before the run ends
                long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (removed.get() == 0 && System.nanoTime() < until) {
                  sleep(100);
                }
              }
            }
          };
      double[] afterKill =
          new SparkTrainer(model).config(adam).addListener(killer).train(frame).parameters();
      assertThat(victims).hasSize(1);
      assertThat(victims.get(0).isAlive()).isFalse();
      assertThat(removed.get()).isAtLeast(1);
      assertThat(afterKill).usingExactEquality().containsExactly(localAdam).inOrder();
    } finally {
      spark.stop();
    }
  }

  /** The cluster's logs and the executors' stderr, for a failure message. */
  static String logs() throws IOException {
    StringBuilder text = new StringBuilder();
    try (var files = Files.walk(home)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".log") || name.equals("stderr")) {
          String content = Files.readString(file, StandardCharsets.UTF_8);
          text.append("== ").append(file).append('\n');
          text.append(content, Math.max(0, content.length() - 4000), content.length());
        }
      }
    }
    return text.toString();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
