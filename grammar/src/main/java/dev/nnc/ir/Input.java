package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * {@code input x[D = 3072] powers(1, 2) standardize(ddof = 1)}.
 *
 * @param rawWidth columns of the raw data
 * @param powers each raw column c becomes c^p for every p, in order; empty = the raw columns
 * @param width columns the first layer sees: rawWidth × max(1, powers.size())
 * @param standardizeDdof −1 for no standardisation, else 0 or 1
 * @param dimensionName the name given to the width ({@code D}), or null
 */
public record Input(
    String name,
    int rawWidth,
    List<Integer> powers,
    int width,
    int standardizeDdof,
    String dimensionName,
    Span span) {
  public Input {
    powers = List.copyOf(powers);
  }
}
