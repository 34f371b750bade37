package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * An L2 penalty on every weight matrix (never on biases): {@code penalty l2(reg)} adds {@code reg ·
 * ΣW²}; {@code penalty l2(λ) / 2m} adds {@code λ/(2m) · ΣW²}, m being the size of the whole
 * training set.
 */
public record L2Penalty(double coefficient, boolean overTwoM, Span span) {}
