package dev.nnc.runtime;

/**
 * The learning rate of each epoch ({@code schedule …} in a {@code train} block), a pure function of
 * the epoch, so a resumed run takes the same rates:
 *
 * <ul>
 *   <li>{@code step(every = K, factor = f)}: lr · f^⌊(e − 1) / K⌋ (PyTorch's {@code StepLR});
 *   <li>{@code exponential(factor = f)}: lr · f^(e − 1) ({@code ExponentialLR});
 *   <li>{@code cosine(min_lr = m)}: m + (lr − m) · (1 + cos(π · (e − 1) / E)) / 2 over the E epochs
 *       of the run ({@code CosineAnnealingLR} with T_max = E), from lr down towards m;
 * </ul>
 *
 * <p>With {@code warmup = W}, epochs 1..W take lr · e / W (a linear warm-up) and the schedule
 * starts after them: its epoch e − W, over E − W epochs. Epochs are 1-based. The cosine uses {@code
 * StrictMath.cos}, so the rates are the same bits on every JVM.
 *
 * @param kind which schedule
 * @param every STEP: epochs between two drops (else 0)
 * @param factor STEP, EXPONENTIAL: the multiplier (else 1)
 * @param minRate COSINE: the rate it ends at (else 0)
 * @param warmup epochs of linear warm-up first (0 for none)
 */
public record LearningRateSchedule(
    Kind kind, int every, double factor, double minRate, int warmup) {
  public enum Kind {
    STEP,
    EXPONENTIAL,
    COSINE
  }

  public LearningRateSchedule {
    if (kind == null) {
      throw new IllegalArgumentException("the schedule's kind must not be null");
    }
    if (warmup < 0 || (kind == Kind.STEP && every < 1)) {
      throw new IllegalArgumentException(
          "need warmup ≥ 0 and, for step, every ≥ 1: " + warmup + ", " + every);
    }
    if (!(factor > 0) || !Double.isFinite(factor) || !(minRate >= 0) || !Double.isFinite(minRate)) {
      throw new IllegalArgumentException(
          "need factor > 0 and min_lr ≥ 0, finite: " + factor + ", " + minRate);
    }
  }

  public static LearningRateSchedule step(int every, double factor, int warmup) {
    return new LearningRateSchedule(Kind.STEP, every, factor, 0, warmup);
  }

  public static LearningRateSchedule exponential(double factor, int warmup) {
    return new LearningRateSchedule(Kind.EXPONENTIAL, 0, factor, 0, warmup);
  }

  public static LearningRateSchedule cosine(double minRate, int warmup) {
    return new LearningRateSchedule(Kind.COSINE, 0, 1, minRate, warmup);
  }

  /**
   * The rate of 1-based {@code epoch} of a run of {@code epochs} epochs starting from {@code base}.
   */
  public double rate(double base, int epoch, int epochs) {
    if (epoch <= warmup) {
      return base * epoch / warmup;
    }
    int e = epoch - warmup - 1; // 0-based epoch of the schedule
    int length = Math.max(epochs - warmup, 1);
    return switch (kind) {
      case STEP -> base * NncMath.pow(factor, e / every);
      case EXPONENTIAL -> base * NncMath.pow(factor, e);
      case COSINE -> minRate + (base - minRate) * (1 + StrictMath.cos(Math.PI * e / length)) / 2;
    };
  }

  /** As written in a {@code .nn} file: {@code cosine(min_lr = 0.0, warmup = 5)}. */
  public String text() {
    String arguments =
        switch (kind) {
          case STEP -> "every = " + every + ", factor = " + factor;
          case EXPONENTIAL -> "factor = " + factor;
          case COSINE -> "min_lr = " + minRate;
        };
    return kind.name().toLowerCase(java.util.Locale.ROOT)
        + "("
        + arguments
        + (warmup > 0 ? ", warmup = " + warmup : "")
        + ")";
  }
}
