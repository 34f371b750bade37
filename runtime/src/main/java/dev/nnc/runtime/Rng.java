package dev.nnc.runtime;

/**
 * The one random number generator of nnc: SplitMix64, with normals by Box-Muller. Written out here
 * rather than borrowed from the JDK so that the same seed gives the same numbers on every JDK
 * version (java.util.Random's and RandomGenerator's normal algorithms have changed).
 */
public final class Rng {
  private long state;
  private double spareNormal;
  private boolean hasSpare;

  public Rng(long seed) {
    this.state = seed;
  }

  /** The full state, for checkpoints. */
  public long state() {
    return state;
  }

  /**
   * Everything that decides the numbers still to come: the SplitMix64 state and the spare normal
   * Box-Muller left behind. {@link #restore} of a snapshot replays the stream exactly.
   *
   * @param spareNormal meaningful only when {@code hasSpare}
   */
  public record Snapshot(long state, double spareNormal, boolean hasSpare) {}

  /** The full state, spare normal included, for checkpoints. */
  public Snapshot snapshot() {
    return new Snapshot(state, spareNormal, hasSpare);
  }

  /** A generator that continues exactly where the one {@code snapshot} was taken of stood. */
  public static Rng restore(Snapshot snapshot) {
    Rng rng = new Rng(snapshot.state());
    rng.spareNormal = snapshot.spareNormal();
    rng.hasSpare = snapshot.hasSpare();
    return rng;
  }

  public long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long limit = Long.remainderUnsigned(-1L, bound);
    while (true) {
      long r = nextLong();
      if (Long.compareUnsigned(r, -1L - limit) <= 0 || limit == 0) {
        return (int) Long.remainderUnsigned(r, bound);
      }
    }
  }

  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareNormal;
    }
    double u1;
    do {
      u1 = nextDouble();
    } while (u1 == 0.0);
    double u2 = nextDouble();
    double radius = Math.sqrt(-2.0 * NncMath.log(u1));
    spareNormal = radius * StrictMath.sin(2.0 * Math.PI * u2);
    hasSpare = true;
    return radius * StrictMath.cos(2.0 * Math.PI * u2);
  }

  /** Fisher-Yates shuffle of {@code order}. */
  public void shuffle(int[] order) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
