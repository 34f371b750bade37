package dev.nnc.runtime;

/**
 * The masks of {@code dropout(p)}, as a pure function of (seed, training step, layer, batch row,
 * unit): no generator state, so any thread computes the mask of any row, a block of rows gives the
 * same bits on any thread count, a checkpoint needs nothing beyond the steps done, and the
 * generated class, the reference interpreter and a gradient check all see the same masks.
 *
 * <p>Unit j of batch row r is kept when {@code mix(rowKey(seed, step, layer, r) + (j + 1)·γ) >>>
 * 11}, 53 uniform bits, is at least {@link #threshold(double) threshold(p)} = ⌈p · 2⁵³⌉, that is
 * when a uniform u in [0, 1) has u ≥ p: with probability 1 − p. Kept outputs are scaled by 1/(1 −
 * p) (inverted dropout, as PyTorch's {@code nn.Dropout}), so nothing changes at inference, where no
 * unit is dropped. The mixing is SplitMix64's finaliser, as in {@link Rng}.
 */
public final class Dropout {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  /** Keeps the masks apart from every other stream drawn from the train block's seed. */
  private static final long SALT = 0x6D61736B73L; // "masks"

  private Dropout() {}

  /** The key of one batch row's masks in one layer at one training step. */
  public static long rowKey(long seed, long step, int layer, int row) {
    long h = mix(seed ^ SALT);
    h = mix(h + step);
    return mix(h + (((long) layer << 32) | (row & 0xFFFFFFFFL)));
  }

  /** Whether unit {@code unit} of the row whose key is {@code rowKey} is kept. */
  public static boolean keep(long rowKey, int unit, long threshold) {
    return mix(rowKey + (unit + 1L) * GOLDEN_GAMMA) >>> 11 >= threshold;
  }

  /** ⌈p · 2⁵³⌉: a unit is kept when its 53 uniform bits reach it (p = 0 keeps every unit). */
  public static long threshold(double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + p);
    }
    return (long) Math.ceil(p * 0x1.0p53);
  }

  /** 1/(1 − p), the factor of the kept outputs. */
  public static double scale(double p) {
    return 1.0 / (1.0 - p);
  }

  private static long mix(long z) {
    z += GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
