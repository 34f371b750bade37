package dev.nnc.fuzz;

import static com.google.common.truth.Truth.assertWithMessage;

import com.palantir.javapoet.JavaFile;
import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.emit.NetworkGenerator;
import dev.nnc.ir.Model;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front end under {@link NnFuzzer}'s hostile inputs: every case ends, within {@value
 * #SECONDS_PER_CASE} s, in either a model that the generator turns into Java source, or at least
 * one error diagnostic with a line and column; never another exception, never an internal error
 * (NN900, which {@link NnCompiler} reports for a bug it caught).
 *
 * <p>10,000 cases by default (about 15 s); {@code -Dnnc.fuzz.cases=100000} for the long run, {@code
 * -Dnnc.fuzz.seed=S} for another stream. A failing input is written to {@code
 * target/fuzz-failures/} and printed; it then belongs in {@link FuzzRegressionTest}.
 */
class FrontEndFuzzTest {
  static final int SECONDS_PER_CASE = 2;

  private static final List<String> HOSTILE_NAMES =
      List.of(
          "a\"b.nn",
          "x */ y.nn",
          "\\u000a.nn",
          "// c.nn",
          "\u2028\u2029\u0085.nn",
          "\t\r\n.nn",
          "名前\uD800.nn",
          "$1.nn",
          "\"); System.exit(1); //.nn",
          "\\\\u0022.nn");

  private static ExecutorService worker;

  @TempDir static Path temp;

  @BeforeAll
  static void startWorker() {
    worker =
        Executors.newSingleThreadExecutor(
            task -> {
              // A deep-nesting case must fail as a diagnostic, not as the worker's stack.
              Thread thread = new Thread(null, task, "fuzz", 1L << 20);
              thread.setDaemon(true);
              return thread;
            });
  }

  @AfterAll
  static void stopWorker() {
    worker.shutdownNow();
  }

  /** What one case ended in. */
  enum Outcome {
    MODEL,
    DIAGNOSTICS
  }

  /**
   * Compiles {@code text} (or, when {@code bytes} is not null, a file holding them) and, when it
   * checks, generates the class; throws AssertionError for anything that is not a clean outcome.
   */
  static Outcome run(String fileName, String text, byte[] bytes) throws Exception {
    CompileResult result;
    if (bytes != null) {
      Path file = Files.createTempFile(temp, "fuzz", ".nn");
      Files.write(file, bytes);
      result = NnCompiler.compile(file);
      fileName = file.toString();
      Files.delete(file);
    } else {
      result = NnCompiler.compile(fileName, text);
    }
    String formatted = result.formatDiagnostics(); // must not throw either
    for (Diagnostic diagnostic : result.diagnostics()) {
      if (diagnostic.code() == DiagnosticCode.INTERNAL_ERROR) {
        throw new AssertionError("internal error: " + formatted);
      }
    }
    if (!result.ok()) {
      boolean positioned =
          result.diagnostics().stream()
              .anyMatch(d -> d.isError() && d.span().line() >= 1 && d.span().column() >= 1);
      if (!positioned) {
        throw new AssertionError("not ok, but no positioned error: " + formatted);
      }
      return Outcome.DIAGNOSTICS;
    }
    Model model =
        result.model().orElseThrow(() -> new AssertionError("ok without a model: " + formatted));
    JavaFile generated = new NetworkGenerator().generate(model, "fuzz");
    String source = generated.toString();
    if (!source.contains("class " + generated.typeSpec().name())) {
      throw new AssertionError("generated source lacks its class");
    }
    // what javac will read: no line break inside a literal, no comment left open, and the file
    // name back as a string literal, exactly
    String translated = JavaText.translateUnicodeEscapes(source);
    if (!JavaText.stringLiterals(translated).contains(fileName)) {
      throw new AssertionError("the file name is not a string literal of the generated source");
    }
    return Outcome.MODEL;
  }

  @Test
  void everyHostileInputEndsInAModelOrPositionedDiagnostics() throws Exception {
    int cases = Integer.getInteger("nnc.fuzz.cases", 10_000);
    long seed = Long.getLong("nnc.fuzz.seed", 20260427L);
    NnFuzzer fuzzer = NnFuzzer.fromRepository(Path.of("").toAbsolutePath());
    assertWithMessage("corpus files").that(fuzzer.corpusSize()).isAtLeast(15);
    Map<NnFuzzer.Kind, int[]> counts = new EnumMap<>(NnFuzzer.Kind.class);
    List<String> failures = new ArrayList<>();
    long slowest = 0;
    long start = System.nanoTime();
    for (long number = 0; number < cases && failures.size() < 5; number++) {
      NnFuzzer.Case fuzzCase = fuzzer.generate(seed, number);
      byte[] bytes = null;
      if (fuzzCase.kind() == NnFuzzer.Kind.RANDOM_TEXT && number % 2 == 0) {
        // random bytes through the file reader: malformed UTF-8 included
        bytes = fuzzCase.text().getBytes(StandardCharsets.UTF_8);
        Random random = new Random(number);
        for (int flips = random.nextInt(8); flips > 0 && bytes.length > 0; flips--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      byte[] input = bytes;
      long caseStart = System.nanoTime();
      // every tenth case under a hostile file name: quotes, escapes, comment ends, line breaks
      String fileName =
          number % 10 == 3
              ? HOSTILE_NAMES.get((int) (number / 10 % HOSTILE_NAMES.size()))
              : "fuzz.nn";
      Future<Outcome> future = worker.submit(() -> run(fileName, fuzzCase.text(), input));
      String failure = null;
      try {
        Outcome outcome = future.get(SECONDS_PER_CASE, TimeUnit.SECONDS);
        counts.computeIfAbsent(fuzzCase.kind(), k -> new int[2])[outcome.ordinal()]++;
      } catch (TimeoutException e) {
        future.cancel(true);
        failure = "took longer than " + SECONDS_PER_CASE + " s";
        // the worker may be stuck for good: later cases get a fresh one
        worker.shutdownNow();
        startWorker();
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        java.io.StringWriter trace = new java.io.StringWriter();
        cause.printStackTrace(new java.io.PrintWriter(trace));
        failure = trace.toString().lines().limit(12).reduce("", (a, b) -> a + b + "\n");
      }
      slowest = Math.max(slowest, System.nanoTime() - caseStart);
      if (failure != null) {
        Path saved = save(seed, fuzzCase, input);
        failures.add(
            "case "
                + number
                + " ("
                + fuzzCase.kind()
                + ", seed "
                + seed
                + ", saved as "
                + saved
                + "): "
                + failure
                + "input (first 600 chars):\n"
                + fuzzCase.text().substring(0, Math.min(600, fuzzCase.text().length())));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    StringBuilder summary = new StringBuilder();
    counts.forEach(
        (kind, c) ->
            summary
                .append(kind)
                .append(' ')
                .append(c[0])
                .append(" models/")
                .append(c[1])
                .append(" rejected; "));
    System.out.printf(
        "fuzz: %d cases in %.1f s, slowest %.0f ms; %s%n", cases, seconds, slowest / 1e6, summary);
    assertWithMessage(String.join("\n\n", failures)).that(failures).isEmpty();
    // the damage must both reach the generator and be caught by the checker, for most kinds
    int models = counts.values().stream().mapToInt(c -> c[0]).sum();
    int rejected = counts.values().stream().mapToInt(c -> c[1]).sum();
    assertWithMessage(summary.toString()).that(models).isAtLeast(cases / 50);
    assertWithMessage(summary.toString()).that(rejected).isAtLeast(cases / 2);
  }

  private static Path save(long seed, NnFuzzer.Case fuzzCase, byte[] bytes) throws Exception {
    Path folder = Path.of("target", "fuzz-failures");
    Files.createDirectories(folder);
    Path file = folder.resolve("seed" + seed + "-case" + fuzzCase.number() + ".nn");
    Files.write(file, bytes != null ? bytes : fuzzCase.text().getBytes(StandardCharsets.UTF_8));
    return file;
  }
}
