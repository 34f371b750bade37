package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Precision;
import dev.nnc.ir.Reduction;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.GradientChecking;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.check.GradientReport;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.testing.ModelFixtures;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The project's own mutation test of the gradient check: wrong backward code made the way a person
 * or a buggy emitter would make it, one change at a time, in the gradient methods (and the loss and
 * δ methods, the split path and the clearing of the gradients) of generated classes for a spread of
 * networks: every activation, loss, reduction and penalty, unrolled and looped layers, double and
 * float. Each mutant is compiled in memory and checked exactly as {@code nnc gradcheck} does
 * ({@link GradientChecking#run} with the defaults). A mutant the check passes is compared with the
 * original class on many batches, parameters, call sequences and thread counts: when the two agree
 * bit for bit (or, for reassociated sums, to rounding) it is <em>equivalent</em> and listed with
 * that reason; otherwise it is a miss.
 *
 * <p>The default run checks a seeded sample of the mutants (about a minute); {@code
 * -Dnnc.mutation=full} checks all of them and prints the table of the README. Second: correct
 * classes of random networks must all pass (false alarms are as bad as misses).
 */
class GradientMutationTest {
  private static final boolean FULL = "full".equals(System.getProperty("nnc.mutation"));

  /**
   * With the full set: every this many-th mutant only ({@code -Dnnc.mutation.every=K}; 1 = all).
   */
  private static final int EVERY = Integer.getInteger("nnc.mutation.every", 1);

  /** Random networks whose correct classes must pass ({@code -Dnnc.mutation.networks=N}). */
  private static final int RANDOM_NETWORKS =
      Integer.getInteger("nnc.mutation.networks", FULL ? 210 : 12);

  /** Mutants checked per network in the default run. */
  private static final int SAMPLE_PER_NETWORK = 6;

  /**
   * The methods mutated: the backward pass (dense, conv and pool; a conv's dK), the loss and δ, the
   * block step (blocks, slices of dW, the block losses' tree, the per-block path a cluster runs),
   * the clearing of the gradients; and in a forward pass, the lines that keep a max pool's argmax
   * for the backward.
   */
  private static final Pattern TARGET_METHOD =
      Pattern.compile(
          "^  (?:public|private) [\\w<>\\[\\]]+ (lossAndGradient|zeroGradients|lossAndGradientPart"
              + "|weightGradients|runBlock|runWeights|blockLossAndGradient|transposeWeights"
              + "|\\w+Backward|\\w+Gradients|\\w+Forward|lossAndDelta|dataLoss"
              + "|addPenaltyGradient)\\(");

  record Net(String name, String source) {}

  static List<Net> networks() {
    List<Net> nets = new ArrayList<>();
    nets.add(
        new Net(
            "TanhSigmoid",
            """
            network TanhSigmoid {
                input   x[3]
                dense   hidden[4]  tanh
                dense   out[3]     sigmoid
                target  t[3]
                loss    squared_error(out, t) reduce half_sum
            }
            """));
    nets.add(
        new Net(
            "ReluSoftmaxLooped",
            """
            network ReluSoftmaxLooped {
                input   x[6]
                dense   hidden[8]  relu
                dense   out[5]
                label   y
                loss    softmax_cross_entropy(out, y)
                penalty l2(0.01)
            }
            """));
    nets.add(
        new Net(
            "ReluSoftmaxFloat",
            """
            network ReluSoftmaxFloat {
                precision float
                input   x[6]
                dense   hidden[8]  relu
                dense   out[5]
                label   y
                loss    softmax_cross_entropy(out, y)
                penalty l2(0.01) / 2m
            }
            """));
    nets.add(
        new Net(
            "BinaryFloat",
            """
            network BinaryFloat {
                precision float
                input   x[3]
                dense   hidden[4]  sigmoid
                dense   out[2]     sigmoid
                target  t[2]
                loss    binary_cross_entropy(out, t) reduce sum
                penalty l2(0.1)
            }
            """));
    nets.add(
        new Net(
            "Mixed",
            """
            network Mixed {
                input   x[5]
                dense   a[6]    identity  nobias
                dense   b[7]    tanh
                dense   out[3]  softmax
                label   y
                loss    squared_error(out, onehot(y)) reduce mean
            }
            """));
    nets.add(
        new Net(
            "HalfBatch",
            """
            network HalfBatch {
                input   x[9]
                dense   hidden[6]  sigmoid
                dense   out[4]     relu
                target  t[4]
                loss    squared_error(out, t) reduce half_batch_mean
                penalty l2(0.05) / 2m
            }
            """));
    nets.add(
        new Net(
            "SplitLarge",
            """
            network SplitLarge {
                input   x[40]
                dense   hidden[24]  tanh
                dense   out[6]
                label   y
                loss    softmax_cross_entropy(out, y) reduce batch_mean
            }
            """));
    nets.add(
        new Net(
            "FloatUnrolled",
            """
            network FloatUnrolled {
                precision float
                input   x[2]
                dense   hidden[3]  tanh
                dense   out[2]     identity
                target  t[2]
                loss    squared_error(out, t) reduce mean
            }
            """));
    nets.add(
        new Net(
            "ConvMax",
            """
            network ConvMax {
                input   x[1, 6, 6]
                conv    c[2]  kernel 3  relu
                maxpool p     kernel 2
                flatten f
                dense   out[3]
                label   y
                loss    softmax_cross_entropy(out, y)
            }
            """));
    nets.add(
        new Net(
            "ConvAvg",
            """
            network ConvAvg {
                input   x[2, 7, 7]
                conv    c[3]  kernel 3  stride 2  pad 1  tanh
                avgpool p     kernel 2
                flatten f
                dense   h[4]  sigmoid
                dense   out[2]
                target  t[2]
                loss    squared_error(out, t) reduce mean
                penalty l2(0.01)
            }
            """));
    nets.add(
        new Net(
            "ConvAvgFloat",
            """
            network ConvAvgFloat {
                precision float
                input   x[2, 6, 6]
                conv    c[2]  kernel (3, 2)  sigmoid
                avgpool p     kernel 2
                flatten f
                dense   out[2]  sigmoid
                target  t[2]
                loss    binary_cross_entropy(out, t) reduce sum
            }
            """));
    return nets;
  }

  /** One mutation: where, the text before and after, and the operator's name. */
  record Mutant(
      String network,
      String operator,
      String method,
      int line,
      String before,
      String after,
      String source) {
    String describe() {
      return String.format(
          Locale.ROOT,
          "%s %s in %s (line %d): %s  →  %s",
          network,
          operator,
          method,
          line,
          before.strip(),
          after.strip());
    }
  }

  enum Verdict {
    CAUGHT,
    EQUIVALENT,
    MISSED,
    NOT_COMPILED
  }

  record Outcome(Mutant mutant, Verdict verdict, String why) {}

  @Test
  void theGradientCheckCatchesMutatedBackwardPasses() {
    List<Outcome> outcomes = new ArrayList<>();
    String only = System.getProperty("nnc.mutation.only", "");
    for (Net net : networks()) {
      if (!only.isEmpty() && !List.of(only.split(",")).contains(net.name())) {
        continue;
      }
      long start = System.nanoTime();
      List<Outcome> some = runNetwork(net);
      outcomes.addAll(some);
      System.out.printf(
          Locale.ROOT,
          "%s: %d mutants in %.1f s%n",
          net.name(),
          some.size(),
          (System.nanoTime() - start) / 1e9);
    }
    Map<String, int[]> byPrecision = new LinkedHashMap<>();
    List<String> missed = new ArrayList<>();
    List<String> equivalent = new ArrayList<>();
    for (Outcome o : outcomes) {
      String precision = o.mutant().source().contains("float[]") ? "float" : "double";
      int[] counts = byPrecision.computeIfAbsent(precision, k -> new int[4]);
      counts[o.verdict().ordinal()]++;
      if (o.verdict() == Verdict.MISSED) {
        missed.add(o.mutant().describe() + ": " + o.why());
      } else if (o.verdict() == Verdict.EQUIVALENT) {
        equivalent.add(o.mutant().describe() + ": " + o.why());
      }
    }
    StringBuilder table =
        new StringBuilder(
            "mutation test ("
                + (FULL ? EVERY > 1 ? "every " + EVERY + "th of the full set" : "full" : "sample")
                + ")\n");
    for (Map.Entry<String, int[]> e : byPrecision.entrySet()) {
      int[] c = e.getValue();
      int scored = c[0] + c[2];
      table.append(
          String.format(
              Locale.ROOT,
              "%-6s caught %d of %d non-equivalent (%.2f%%), %d equivalent, %d not compiling%n",
              e.getKey(),
              c[0],
              scored,
              scored == 0 ? 100.0 : 100.0 * c[0] / scored,
              c[1],
              c[3]));
    }
    table.append("equivalent mutants:\n");
    equivalent.forEach(line -> table.append("  ").append(line).append('\n'));
    table.append("missed mutants:\n");
    missed.forEach(line -> table.append("  ").append(line).append('\n'));
    System.out.println(table);
    for (int[] c : byPrecision.values()) {
      int scored = c[0] + c[2];
      assertWithMessage(table.toString()).that(scored).isGreaterThan(0);
      assertWithMessage(table.toString()).that((double) c[0] / scored).isAtLeast(0.995);
    }
  }

  List<Outcome> runNetwork(Net net) {
    CompileResult result = NnCompiler.compile(net.name() + ".nn", net.source());
    assertThat(result.formatDiagnostics()).isEmpty();
    Model model = result.model().orElseThrow();
    CompiledModel original = CompiledModel.of(model);
    String source = original.javaFile().toString();
    List<Mutant> mutants = mutants(net.name(), source);
    System.out.printf(Locale.ROOT, "%s: %d mutants in the full set%n", net.name(), mutants.size());
    if (FULL && EVERY > 1) {
      List<Mutant> every = new ArrayList<>();
      for (int i = 0; i < mutants.size(); i += EVERY) {
        every.add(mutants.get(i));
      }
      mutants = every;
    }
    if (!FULL) {
      Rng rng = new Rng(net.name().hashCode());
      List<Mutant> sample = new ArrayList<>();
      List<Mutant> pool = new ArrayList<>(mutants);
      while (sample.size() < SAMPLE_PER_NETWORK && !pool.isEmpty()) {
        sample.add(pool.remove(rng.nextInt(pool.size())));
      }
      mutants = sample;
    }
    IntFunction<Network> twins =
        model.precision() == Precision.FLOAT
            ? twinFactory(CompiledModel.of(GradientChecking.doubleTwin(model)))
            : null;
    Map<Integer, Class<?>> classes = compileAll(mutants);
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < mutants.size(); i++) {
      Mutant mutant = mutants.get(i);
      Class<?> type = classes.get(i);
      if (type == null) {
        outcomes.add(new Outcome(mutant, Verdict.NOT_COMPILED, "javac rejects it"));
        continue;
      }
      IntFunction<Network> networks = factory(type);
      boolean caught;
      String why = "";
      try {
        GradientReport report =
            GradientChecking.run(model, networks, twins, GradientChecking.Request.defaults());
        caught = !report.passed();
      } catch (RuntimeException e) {
        caught = true; // the constructor or the check's own setup threw: nnc gradcheck fails too
      }
      if (caught) {
        outcomes.add(new Outcome(mutant, Verdict.CAUGHT, ""));
        continue;
      }
      why = difference(networks, original::newNetwork, model.precision() == Precision.FLOAT);
      outcomes.add(
          new Outcome(
              mutant, why.startsWith("differs") ? Verdict.MISSED : Verdict.EQUIVALENT, why));
    }
    return outcomes;
  }

  static IntFunction<Network> twinFactory(CompiledModel twin) {
    return twin::newNetwork;
  }

  static IntFunction<Network> factory(Class<?> type) {
    try {
      Constructor<?> constructor = type.getConstructor(int.class);
      return maxRows -> {
        try {
          return (Network) constructor.newInstance(maxRows);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e.getCause());
        }
      };
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The surviving mutant against the original: losses and gradients on batches of 1 to three blocks
   * + 2 rows, at three parameter points, called in an order that leaves buffers dirty, on 1, 2 and
   * 3 threads; and block by block ({@code blockLossAndGradient}) on the largest batch. "equivalent:
   * …" when they agree (bit for bit, or within rounding of reassociated sums: 1e-12 relative in
   * double, 1e-5 in float, of the tensor's largest entry), else "differs: …".
   */
  static String difference(
      IntFunction<Network> mutantNetworks, IntFunction<Network> originals, boolean isFloat) {
    int split = GradientChecking.splitRows(originals);
    int largest = Math.max(9, 3 * split);
    Network mutant;
    Network original = originals.apply(largest);
    try {
      mutant = mutantNetworks.apply(largest);
    } catch (RuntimeException e) {
      return "differs: constructor throws " + e;
    }
    int count = original.spec().parameterCount();
    double[] a = new double[count];
    double[] b = new double[count];
    boolean bitIdentical = true;
    double worst = 0;
    int[] sizes =
        split > 0
            ? new int[] {largest, 1, 3, split, split - 1, 2 * split - 1, 7}
            : new int[] {largest, 1, 3, 7, 2};
    try {
      Batch poison = GradientChecking.randomBatch(original.spec(), largest, 7);
      for (int i = 0; i < poison.x.length; i++) {
        poison.x[i] *= 30 * Math.sqrt(original.spec().inputWidth());
      }
      original.lossAndGradient(poison);
      mutant.lossAndGradient(poison);
      for (int point = 1; point <= 3; point++) {
        original.initialize(point);
        mutant.initialize(point);
        if (split > 0) {
          String blocks = blockDifference((DataParallel) original, (DataParallel) mutant, point);
          if (blocks != null) {
            return blocks;
          }
        }
        for (int threads = 1; threads <= (split > 0 ? 3 : 1); threads++) {
          if (split > 0) {
            ((DataParallel) original).setThreads(threads);
            ((DataParallel) mutant).setThreads(threads);
          }
          for (int size : sizes) {
            Batch batch = GradientChecking.randomBatch(original.spec(), size, 100 * point + size);
            for (int call = 0; call < 2; call++) {
              double la = original.lossAndGradient(batch);
              double lb = mutant.lossAndGradient(batch);
              original.getGradient(a);
              mutant.getGradient(b);
              double ra = original.loss(batch);
              double rb = mutant.loss(batch);
              double scale = 1e-300;
              for (int i = 0; i < count; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
              }
              double gap =
                  Math.max(Math.abs(la - lb), Math.abs(ra - rb)) / Math.max(1e-300, Math.abs(la));
              for (int i = 0; i < count; i++) {
                if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                  bitIdentical = false;
                }
                gap = Math.max(gap, Math.abs(a[i] - b[i]) / scale);
              }
              if (la != lb || ra != rb) {
                bitIdentical = false;
              }
              if (!(gap <= (isFloat ? 1e-5 : 1e-12))) {
                return String.format(
                    Locale.ROOT,
                    "differs: relative gap %.2e at %d rows, point %d, %d threads, call %d",
                    gap,
                    size,
                    point,
                    threads,
                    call + 1);
              }
              worst = Math.max(worst, gap);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      return "differs: throws " + e;
    }
    return bitIdentical
        ? "equivalent: bit-identical losses and gradients on every probe"
        : String.format(Locale.ROOT, "equivalent up to rounding: largest relative gap %.1e", worst);
  }

  /**
   * Block by block on a batch of three blocks + 2 rows (the mutant's blocks must be the original's
   * to 1e-12 relative, 1e-5 in float), or null when they agree.
   */
  static String blockDifference(DataParallel original, DataParallel mutant, int point) {
    Network net = (Network) original;
    int rows = 3 * original.blockRows() + 2;
    Batch batch = GradientChecking.randomBatch(net.spec(), rows, 31 * point);
    boolean isFloat = net.spec().precision() == dev.nnc.runtime.NetworkSpec.Precision.FLOAT;
    int count = net.spec().parameterCount();
    double[] a = new double[count];
    double[] b = new double[count];
    for (int block = 0; block < original.blocks(rows); block++) {
      double la = original.blockLossAndGradient(batch, block, a);
      double lb = mutant.blockLossAndGradient(batch, block, b);
      double scale = Math.max(1e-300, Math.abs(la));
      double gap = Math.abs(la - lb) / scale;
      double largest = 1e-300;
      for (int i = 0; i < count; i++) {
        largest = Math.max(largest, Math.abs(a[i]));
      }
      for (int i = 0; i < count; i++) {
        gap = Math.max(gap, Math.abs(a[i] - b[i]) / largest);
      }
      if (!(gap <= (isFloat ? 1e-5 : 1e-12))) {
        return String.format(
            Locale.ROOT,
            "differs: relative gap %.2e in block %d of %d rows (blockLossAndGradient), point %d",
            gap,
            block,
            rows,
            point);
      }
    }
    return null;
  }

  /** Compiles the mutants in batches (a batch that fails is split until the culprit is alone). */
  static Map<Integer, Class<?>> compileAll(List<Mutant> mutants) {
    Map<Integer, Class<?>> classes = new LinkedHashMap<>();
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < mutants.size(); i++) {
      all.add(i);
    }
    for (int from = 0; from < all.size(); from += 60) {
      compile(mutants, all.subList(from, Math.min(all.size(), from + 60)), classes);
    }
    return classes;
  }

  private static final Pattern PACKAGE = Pattern.compile("package ([\\w.]+);");
  private static final Pattern CLASS_NAME = Pattern.compile("public final class (\\w+)");

  private static void compile(
      List<Mutant> mutants, List<Integer> which, Map<Integer, Class<?>> into) {
    if (which.isEmpty()) {
      return;
    }
    Map<String, String> sources = new LinkedHashMap<>();
    Map<Integer, String> names = new LinkedHashMap<>();
    for (int i : which) {
      String source = mutants.get(i).source();
      Matcher cls = CLASS_NAME.matcher(source);
      assertThat(cls.find()).isTrue();
      String pkg = "nnc.mutant.m" + i;
      String renamed = PACKAGE.matcher(source).replaceFirst("package " + pkg + ";");
      String name = pkg + "." + cls.group(1);
      sources.put(name, renamed);
      names.put(i, name);
    }
    try {
      CompiledClasses compiled = InMemoryCompiler.compileSources(sources);
      for (Map.Entry<Integer, String> e : names.entrySet()) {
        into.put(e.getKey(), compiled.loadClass(e.getValue()));
      }
    } catch (CompilationException e) {
      if (which.size() == 1) {
        return;
      }
      int half = which.size() / 2;
      compile(mutants, which.subList(0, half), into);
      compile(mutants, which.subList(half, which.size()), into);
    }
  }

  /** Every mutant of the target methods of {@code source}. */
  static List<Mutant> mutants(String network, String source) {
    List<Mutant> mutants = new ArrayList<>();
    String[] lines = source.split("\n", -1);
    String method = null;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      Matcher start = TARGET_METHOD.matcher(line);
      if (start.find()) {
        method = start.group(1);
        continue;
      }
      if (line.equals("  }")) {
        method = null;
        continue;
      }
      String code = line.strip();
      if (method == null
          || code.startsWith("//")
          || code.startsWith("*")
          || code.isEmpty()
          || (method.endsWith("Forward") && !code.contains("argRow["))
          || (code.startsWith("if (")
              && n + 1 < lines.length
              && lines[n + 1].strip().startsWith("throw"))) {
        continue; // comments; a forward's arithmetic; an argument check that throws
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String[] change : changes(line)) {
        String mutated = change[1];
        if (mutated.equals(line) || !seen.add(mutated.strip())) {
          continue; // no change, or one another operator made already
        }
        String[] copy = lines.clone();
        copy[n] = mutated;
        mutants.add(
            new Mutant(network, change[0], method, n + 1, line, mutated, String.join("\n", copy)));
      }
    }
    return mutants;
  }

  private static final String[] RANGE_NAMES = {
    "from",
    "to",
    "rows",
    "iFrom",
    "iTo",
    "oFrom",
    "oTo",
    "pendingRows",
    "part",
    "parts",
    "pendingParts",
    "b",
    "block",
    "blocks",
    "BLOCK_ROWS"
  };

  /** {operator, mutated line} for every change the operators make to one line. */
  static List<String[]> changes(String line) {
    List<String[]> out = new ArrayList<>();
    // flipped sign
    replaceEach(out, "sign", line, Pattern.compile("\\+="), "-=");
    replaceEach(out, "sign", line, Pattern.compile("-="), "+=");
    replaceEach(out, "sign", line, Pattern.compile(" \\+ "), " - ");
    replaceEach(out, "sign", line, Pattern.compile(" - "), " + ");
    // += → =
    replaceEach(out, "accumulate→assign", line, Pattern.compile("\\+="), "=");
    // a dropped factor (or derivative term): " * operand" removed
    replaceEach(
        out,
        "dropped factor",
        line,
        Pattern.compile(" \\* (\\((?:[^()]|\\([^()]*\\))*\\)|[\\w.]+(?:\\[[^\\]]+\\])*)"),
        "");
    // a changed constant
    Matcher constant = Pattern.compile("\\b(\\d+\\.\\d+)(f?)\\b").matcher(line);
    while (constant.find()) {
      double value = Double.parseDouble(constant.group(1));
      String changed = value == 0 ? "1.0" : Double.toString(value * 2);
      out.add(
          new String[] {
            "constant",
            line.substring(0, constant.start())
                + changed
                + constant.group(2)
                + line.substring(constant.end())
          });
    }
    // an integer constant one more (a conv's or pool's sizes, offsets, padding, strides)
    Matcher integer = Pattern.compile("(?<![\\w.\\[])(\\d+)(?![\\w.\\]])").matcher(line);
    while (integer.find()) {
      out.add(
          new String[] {
            "integer",
            line.substring(0, integer.start())
                + (Long.parseLong(integer.group(1)) + 1)
                + line.substring(integer.end())
          });
    }
    // a swapped index
    Matcher index = Pattern.compile("\\[(\\d+)\\]").matcher(line);
    while (index.find()) {
      int value = Integer.parseInt(index.group(1));
      String changed = "[" + (value == 0 ? 1 : value - 1) + "]";
      out.add(
          new String[] {
            "index", line.substring(0, index.start()) + changed + line.substring(index.end())
          });
    }
    Matcher letter = Pattern.compile("\\[([ijr])\\]").matcher(line);
    while (letter.find()) {
      String other = letter.group(1).equals("j") ? "i" : "j";
      out.add(
          new String[] {
            "index",
            line.substring(0, letter.start()) + "[" + other + "]" + line.substring(letter.end())
          });
    }
    // a loop bound off by one
    Matcher bound = Pattern.compile("(\\w+) < ([^;]+);").matcher(line);
    if (line.strip().startsWith("for (") && bound.find()) {
      out.add(
          new String[] {
            "loop bound",
            line.substring(0, bound.start())
                + bound.group(1)
                + " < "
                + bound.group(2)
                + " - 1;"
                + line.substring(bound.end())
          });
      out.add(
          new String[] {
            "loop bound",
            line.substring(0, bound.start())
                + bound.group(1)
                + " <= "
                + bound.group(2)
                + ";"
                + line.substring(bound.end())
          });
    }
    Matcher loopStart = Pattern.compile("int (\\w+) = (\\w+);").matcher(line);
    if (line.strip().startsWith("for (") && loopStart.find()) {
      out.add(
          new String[] {
            "loop bound",
            line.substring(0, loopStart.start())
                + "int "
                + loopStart.group(1)
                + " = "
                + loopStart.group(2)
                + " + 1;"
                + line.substring(loopStart.end())
          });
    }
    // a wrong range: a range variable passed on (to a kernel, a part) one off
    if (!line.strip().startsWith("for (") && !line.contains("private ")) {
      for (String name : RANGE_NAMES) {
        Matcher use = Pattern.compile("(?<![\\w.])" + name + "(?![\\w(])").matcher(line);
        while (use.find()) {
          if (line.substring(use.end()).stripLeading().startsWith("=")
              && !line.substring(use.end()).stripLeading().startsWith("==")) {
            continue; // an assignment's target
          }
          out.add(
              new String[] {
                "range",
                line.substring(0, use.start()) + "(" + name + " + 1)" + line.substring(use.end())
              });
        }
      }
    }
    // a dropped statement (a term of a sum, a clearing, a call)
    String code = line.strip();
    if (code.endsWith(";")
        && !code.startsWith("return")
        && !code.startsWith("double ")
        && !code.startsWith("float ")
        && !code.startsWith("int ")
        && !code.contains("[] ")) {
      out.add(new String[] {"dropped statement", ""});
    }
    return out;
  }

  private static void replaceEach(
      List<String[]> out, String operator, String line, Pattern p, String by) {
    Matcher m = p.matcher(line);
    while (m.find()) {
      out.add(new String[] {operator, line.substring(0, m.start()) + by + line.substring(m.end())});
    }
  }

  /**
   * The per-block path a cluster runs is checked too: a {@code blockLossAndGradient} whose weights
   * phase leaves out its block's last row (the step itself is right) fails, naming the sum.
   */
  @Test
  void aPerBlockPathThatDropsARowFails() {
    Net net = networks().stream().filter(n -> n.name().equals("SplitLarge")).findFirst().get();
    Model model = NnCompiler.compile("SplitLarge.nn", net.source()).model().orElseThrow();
    String source = CompiledModel.of(model).javaFile().toString();
    String right = "    weightGradients(from, to, 0, 1, false);\n    getGradient(gradient);";
    assertThat(source).contains(right);
    String wrong = source.replace(right, right.replace("from, to,", "from, to - 1,"));
    Mutant mutant = new Mutant("SplitLarge", "test", "blockLossAndGradient", 0, "", "", wrong);
    Class<?> type = compileAll(List.of(mutant)).get(0);

    GradientReport report =
        GradientChecking.run(model, factory(type), null, GradientChecking.Request.defaults());

    assertThat(report.passed()).isFalse();
    assertThat(String.join("\n", report.problems()))
        .containsMatch(
            "rows, point 0: the 3 blocks' gradients \\(blockLossAndGradient\\) sum to another"
                + " (out|hidden)\\.W than lossAndGradient's");
    GradientReport original =
        GradientChecking.run(
            model, CompiledModel.of(model)::newNetwork, null, GradientChecking.Request.defaults());
    assertWithMessage(original.format()).that(original.passed()).isTrue();
  }

  /**
   * 0 correct classes rejected: random networks (1 to 3 layers of 1 to 12 units, every activation,
   * loss, reduction and penalty, double and float) × seeds, each checked as nnc gradcheck does.
   */
  @Test
  void correctClassesOfRandomNetworksAllPass() {
    int networks = RANDOM_NETWORKS;
    Rng rng = new Rng(20261203);
    List<String> rejected = new ArrayList<>();
    for (int n = 0; n < networks; n++) {
      Model model = n % 4 == 3 ? randomConvModel(rng, n) : randomModel(rng, n);
      CompiledModel compiled = CompiledModel.of(model);
      IntFunction<Network> twins =
          model.precision() == Precision.FLOAT
              ? twinFactory(CompiledModel.of(GradientChecking.doubleTwin(model)))
              : null;
      long seed = 1 + rng.nextInt(1000);
      GradientReport report =
          GradientChecking.run(
              model,
              compiled::newNetwork,
              twins,
              new GradientChecking.Request(seed, 1 + rng.nextInt(6), 0, null, null, null, null));
      if (!report.passed()) {
        rejected.add(report.format());
      }
    }
    System.out.println(
        "false alarms: " + rejected.size() + " of " + networks + " correct random networks");
    assertWithMessage(String.join("\n", rejected)).that(rejected).isEmpty();
  }

  /**
   * A random small conv network: 1-3 channels of 5-8 pixels a side, a conv (kernel 2-3, stride 1-2,
   * pad 0-1, any activation but softmax), a max or average pool or none, flatten, 1-2 dense layers,
   * any loss; a third of them float.
   */
  static Model randomConvModel(Rng rng, int n) {
    int channels = 1 + rng.nextInt(3);
    int height = 5 + rng.nextInt(4);
    int width = 5 + rng.nextInt(4);
    String[] activations = {"", "relu", "tanh", "sigmoid", "identity"};
    int kernel = 2 + rng.nextInt(2);
    int stride = 1 + rng.nextInt(2);
    int pad = rng.nextInt(2);
    StringBuilder nn = new StringBuilder("network RandomConv" + n + " {\n");
    if (rng.nextInt(3) == 0) {
      nn.append("    precision float\n");
    }
    nn.append(String.format(Locale.ROOT, "    input x[%d, %d, %d]%n", channels, height, width));
    nn.append(
        String.format(
            Locale.ROOT,
            "    conv c[%d] kernel %d stride %d pad %d %s%n",
            1 + rng.nextInt(3),
            kernel,
            stride,
            pad,
            activations[rng.nextInt(activations.length)]));
    int pool = rng.nextInt(3);
    if (pool > 0) {
      nn.append(pool == 1 ? "    maxpool p kernel 2\n" : "    avgpool p kernel 2\n");
    }
    nn.append("    flatten f\n");
    if (rng.nextInt(2) == 0) {
      nn.append(
          "    dense h[" + (1 + rng.nextInt(6)) + "] " + activations[1 + rng.nextInt(4)] + "\n");
    }
    switch (rng.nextInt(3)) {
      case 0 ->
          nn.append("    dense out[3]\n    label y\n    loss softmax_cross_entropy(out, y)\n");
      case 1 ->
          nn.append(
              "    dense out[2] sigmoid\n    target t[2]\n"
                  + "    loss binary_cross_entropy(out, t) reduce mean\n");
      default ->
          nn.append(
              "    dense out[2] tanh\n    target t[2]\n"
                  + "    loss squared_error(out, t) reduce half_sum\n");
    }
    if (rng.nextInt(2) == 0) {
      nn.append("    penalty l2(0.01)\n");
    }
    nn.append("}\n");
    CompileResult result = NnCompiler.compile("RandomConv" + n + ".nn", nn.toString());
    assertWithMessage(nn + result.formatDiagnostics()).that(result.model().isPresent()).isTrue();
    return result.model().orElseThrow();
  }

  static Model randomModel(Rng rng, int n) {
    int inputs = 1 + rng.nextInt(10);
    ModelFixtures.Builder builder = ModelFixtures.network("Random" + n, inputs);
    if (rng.nextInt(3) == 0) {
      builder.precision(Precision.FLOAT);
    }
    int layers = 1 + rng.nextInt(3);
    Activation[] hidden = {
      Activation.IDENTITY, Activation.SIGMOID, Activation.RELU, Activation.TANH
    };
    Loss.Kind kind = Loss.Kind.values()[rng.nextInt(Loss.Kind.values().length)];
    for (int l = 0; l < layers - 1; l++) {
      builder.dense(
          "h" + l, 1 + rng.nextInt(12), hidden[rng.nextInt(hidden.length)], rng.nextInt(4) != 0);
    }
    int outputs = 1 + rng.nextInt(6);
    Activation last =
        switch (kind) {
          case SOFTMAX_CROSS_ENTROPY -> Activation.IDENTITY;
          case BINARY_CROSS_ENTROPY -> Activation.SIGMOID;
          default -> Activation.values()[rng.nextInt(Activation.values().length)];
        };
    if (kind == Loss.Kind.SOFTMAX_CROSS_ENTROPY) {
      outputs = Math.max(2, outputs);
    }
    builder.dense("out", outputs, last, rng.nextInt(4) != 0);
    Reduction reduction = Reduction.values()[rng.nextInt(Reduction.values().length)];
    if (kind != Loss.Kind.SOFTMAX_CROSS_ENTROPY && rng.nextInt(3) == 0) {
      builder.onehotLoss(kind, reduction);
    } else {
      builder.loss(kind, reduction);
    }
    if (rng.nextInt(2) == 0) {
      builder.penalty(rng.nextInt(2) == 0 ? 0.01 : 0.3, rng.nextInt(2) == 0);
    }
    return builder.build();
  }
}
