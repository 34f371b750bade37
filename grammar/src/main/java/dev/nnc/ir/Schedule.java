package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * {@code schedule step(every = 10, factor = 0.5)}, {@code schedule exponential(factor = 0.95)},
 * {@code schedule cosine(min_lr = 0.0001)}, each with an optional {@code warmup = W}: the learning
 * rate of every epoch (the runtime's {@code LearningRateSchedule} computes it).
 *
 * @param every STEP: epochs between two drops (else 0)
 * @param factor STEP, EXPONENTIAL: the multiplier (else 1)
 * @param minRate COSINE: the rate it ends at (else 0)
 * @param warmup epochs of linear warm-up first (0 for none)
 */
public record Schedule(Kind kind, int every, double factor, double minRate, int warmup, Span span) {
  public enum Kind {
    STEP,
    EXPONENTIAL,
    COSINE
  }
}
