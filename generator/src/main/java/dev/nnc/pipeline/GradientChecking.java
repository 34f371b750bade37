package dev.nnc.pipeline;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Model;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Precision;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.check.GradientCheck;
import dev.nnc.runtime.check.GradientReport;
import dev.nnc.runtime.parallel.DataParallel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The gradient check exactly as {@code nnc gradcheck} runs it, for the CLI and for the mutation
 * test that measures it: the model decides whether kinks (relu, max pool) can occur and whether a
 * float network gets a double twin; random parameters and batches unless the user gives theirs.
 *
 * <p>By default: two parameter points (the file's init with {@code seed}, and with {@code seed + 1}
 * its constant tensors moved off their exact values by {@link #jitter}) × three random batches:
 * first one of {@code max(2·rows + 1, 2·BLOCK_ROWS + 1)} rows (when the class splits: three blocks,
 * run on 1, 2 and 3 threads, its per-block path and its split path compared with the whole one), so
 * that the later, smaller ones ({@code rows} and {@code rows + 1}) run on buffers a larger batch
 * left dirty. Tensors up to 2,000 entries are checked whole by finite differences, larger ones by
 * 200 entries: the corners of the first two and last two rows and columns (where an off-by-one loop
 * bound or kernel range shows) and a seeded draw.
 */
public final class GradientChecking {
  /** Tensors larger than this are sampled. */
  public static final int WHOLE_TENSOR_LIMIT = 2000;

  /** Entries sampled from a larger tensor. */
  public static final int SAMPLED_ENTRIES = 200;

  private GradientChecking() {}

  /**
   * What to check.
   *
   * @param seed seeds the parameter points and the random batches
   * @param rows rows of the small random batches
   * @param maxPerTensor 0 = the default above
   * @param epsilon null = the check's default
   * @param threshold null = the check's default
   * @param parameters the user's parameters, or null for the two random points
   * @param batches the user's batches, or null for the random ones
   */
  public record Request(
      long seed,
      int rows,
      int maxPerTensor,
      Double epsilon,
      Double threshold,
      double[] parameters,
      List<Batch> batches) {

    /** The defaults of {@code nnc gradcheck}: seed 1, batches of 4 rows. */
    public static Request defaults() {
      return new Request(1, 4, 0, null, null, null, null);
    }
  }

  /** The network type's split size, or 0 when it does not split. */
  public static int splitRows(IntFunction<Network> networks) {
    return networks.apply(1) instanceof DataParallel parallel ? parallel.splitRows() : 0;
  }

  /**
   * Runs the check on a new instance from {@code networks} (maxRows → network); {@code twins} makes
   * the double twin of a float model (null: none).
   */
  public static GradientReport run(
      Model model, IntFunction<Network> networks, IntFunction<Network> twins, Request request) {
    List<Batch> batches = new ArrayList<>();
    int largest = 1;
    int split = splitRows(networks);
    boolean random = request.batches() == null;
    NetworkSpec spec = networks.apply(1).spec();
    if (random) {
      // three blocks when the class splits: each of 3 threads gets one, and the block losses' tree
      // is uneven, ((b0 + b1) + b2)
      largest = Math.max(2 * request.rows() + 1, split > 0 ? 2 * split - 1 : 0);
      batches.add(randomBatch(spec, largest, request.seed()));
      batches.add(randomBatch(spec, request.rows(), request.seed() + 1));
      batches.add(randomBatch(spec, request.rows() + 1, request.seed() + 2));
    } else {
      batches.addAll(request.batches());
      for (Batch b : batches) {
        largest = Math.max(largest, b.rows());
      }
    }
    int buffers = split > 0 ? Math.max(largest, 3 * ((split + 1) / 2)) : largest;
    Network network = networks.apply(buffers);
    GradientCheck check = new GradientCheck(network).seed(request.seed());
    check.nonSmooth(nonSmooth(model));
    int limit = request.maxPerTensor();
    if (limit == 0) {
      int biggest = spec.tensors().stream().mapToInt(TensorSpec::size).max().orElse(1);
      limit = biggest <= WHOLE_TENSOR_LIMIT ? Integer.MAX_VALUE : SAMPLED_ENTRIES;
      int rowsChecked = 0;
      for (Batch b : batches) {
        rowsChecked += b.rows() < split || split == 0 ? b.rows() : 0;
      }
      rowsChecked *= request.parameters() != null ? 1 : 2;
      limit = withinBudget(spec, limit, entryBudget(forwardFlopsPerRow(model), rowsChecked));
    }
    check.maxPerTensor(limit);
    if (request.threshold() != null) {
      check.threshold(request.threshold());
    }
    if (request.epsilon() != null) {
      check.epsilon(request.epsilon());
    }
    if (twins != null && model.precision() == Precision.FLOAT) {
      check.reference(twins.apply(buffers));
    }
    if (request.parameters() != null) {
      network.setParameters(request.parameters());
    } else {
      network.initialize(request.seed() + 1);
      double[] second = new double[spec.parameterCount()];
      network.getParameters(second);
      jitter(spec, second, request.seed());
      check.alsoAt(second);
      network.initialize(request.seed());
    }
    return check.run(batches);
  }

  /** The finite differences' budget, in flops of forward passes (about 4 s on one core). */
  public static final double DIFFERENCE_FLOPS = 1e10;

  /** The fewest entries per tensor the budget may leave (the 16 corners and a few drawn). */
  public static final int FEWEST_PER_TENSOR = 20;

  /** Flops of one row's forward pass: 2 per multiply-add of every dense and conv layer. */
  public static long forwardFlopsPerRow(Model model) {
    long flops = 0;
    for (var layer : model.layers()) {
      flops += 2L * layer.in() * layer.out();
    }
    for (var layer : model.spatial()) {
      if (layer instanceof Conv conv) {
        flops += 2L * conv.outChannels() * conv.outHeight() * conv.outWidth() * conv.patchSize();
      }
    }
    return Math.max(1, flops);
  }

  /**
   * How many entries the differences can check within {@link #DIFFERENCE_FLOPS}: each costs 4
   * forward passes (±ε, ±2ε) of every row checked ({@code rowsChecked}, summed over the cases).
   */
  static long entryBudget(long flopsPerRow, int rowsChecked) {
    return (long) (DIFFERENCE_FLOPS / (4.0 * Math.max(1, rowsChecked) * flopsPerRow));
  }

  /**
   * The entries per tensor: {@code limit}, lowered (not below {@link #FEWEST_PER_TENSOR}) until the
   * tensors' checked entries fit in {@code budget}. Only networks with expensive forward passes are
   * lowered (LeNet-5: 0.8 MFLOP a row).
   */
  static int withinBudget(NetworkSpec spec, int limit, long budget) {
    int l = limit;
    while (l > FEWEST_PER_TENSOR && checkedEntries(spec, l) > budget) {
      l = l == Integer.MAX_VALUE ? SAMPLED_ENTRIES : Math.max(FEWEST_PER_TENSOR, l - 10);
    }
    return l;
  }

  private static long checkedEntries(NetworkSpec spec, int limit) {
    long sum = 0;
    for (TensorSpec t : spec.tensors()) {
      sum += Math.min(t.size(), limit);
    }
    return sum;
  }

  /**
   * Moves the second parameter point's constant tensors (a bias initialised to 0) off their exact
   * value: every entry by N(0, σ²), σ a tenth of the rms of all parameters. A zero bias behind a
   * relu that is dead on a row puts the next relu exactly at its kink for that row, at every point
   * of the init: nothing could verify its gradient there. Random tensors are left as drawn.
   */
  static void jitter(NetworkSpec spec, double[] parameters, long seed) {
    double all = rms(parameters, 0, parameters.length);
    double sigma = (all > 0 ? all : 1) / 10;
    Rng rng = new Rng(seed ^ 0x6a6974746572L);
    for (TensorSpec t : spec.tensors()) {
      boolean constant = true;
      for (int i = t.offset() + 1; i < t.offset() + t.size() && constant; i++) {
        constant = parameters[i] == parameters[t.offset()];
      }
      if (!constant) {
        continue;
      }
      for (int i = t.offset(); i < t.offset() + t.size(); i++) {
        parameters[i] += sigma * rng.nextGaussian();
      }
    }
  }

  private static double rms(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i] * values[i];
    }
    return to > from ? Math.sqrt(sum / (to - from)) : 0;
  }

  /**
   * Whether the network has a non-smooth op: a relu (dense or conv), an l1 penalty, or a max pool,
   * whose window's maximum changes place at a tie.
   */
  public static boolean nonSmooth(Model model) {
    return model.layers().stream().anyMatch(l -> l.activation() == Activation.RELU)
        || model.spatial().stream()
            .anyMatch(
                s ->
                    s instanceof Pool pool
                        ? pool.max()
                        : s instanceof Conv conv && conv.activation() == Activation.RELU)
        || model.penalty().map(dev.nnc.ir.Penalty::l1).orElse(false);
  }

  /** The same network in double precision: the reference a float network is checked against. */
  public static Model doubleTwin(Model model) {
    return new Model(
        model.name(),
        model.sourceFile(),
        Precision.DOUBLE,
        model.input(),
        model.layers(),
        model.target(),
        model.loss(),
        model.penalty(),
        model.train(),
        model.span(),
        model.spatial());
  }

  /**
   * Inputs ~ N(0, 1/D) for D inputs, so that a first layer initialised N(0, 1) (Nielsen's) sees z ~
   * N(0, 1) instead of saturating its sigmoids: saturated units have gradients near 1e-9, below
   * what central differences resolve. Dense targets uniform in [0, 1) (valid for every loss);
   * labels uniform.
   */
  public static Batch randomBatch(NetworkSpec spec, int rows, long seed) {
    Rng rng = new Rng(seed ^ 0x6772616463686563L);
    Batch batch = Batch.forSpec(spec, rows);
    double scale = 1 / Math.sqrt(spec.inputWidth());
    for (int i = 0; i < rows * spec.inputWidth(); i++) {
      batch.x[i] = scale * rng.nextGaussian();
    }
    if (batch.hasLabels()) {
      for (int r = 0; r < rows; r++) {
        batch.labels[r] = rng.nextInt(spec.targetWidth());
      }
    } else {
      for (int i = 0; i < rows * spec.targetWidth(); i++) {
        batch.targets[i] = rng.nextDouble();
      }
    }
    batch.setRows(rows);
    return batch;
  }
}
