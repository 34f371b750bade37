package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.Optional;

/**
 * The {@code train} block.
 *
 * @param batchSize rows per step; 0 = the full training set
 * @param epochs 0 when steps is given
 * @param steps 0 when epochs is given
 * @param decayPerEpoch 1 when no decay is given
 */
public record Train(
    double learningRate,
    double decayPerEpoch,
    int batchSize,
    boolean shuffle,
    boolean withReplacement,
    int epochs,
    int steps,
    long seed,
    Optional<InlineData> data,
    Span span) {}
