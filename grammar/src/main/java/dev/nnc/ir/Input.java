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
 * @param imageShape (C, H, W) for an image input ({@code input x[1, 28, 28]}; a row is C·H·W values
 *     flattened row-major), empty for a flat one
 */
public record Input(
    String name,
    int rawWidth,
    List<Integer> powers,
    int width,
    int standardizeDdof,
    String dimensionName,
    Span span,
    List<Integer> imageShape) {
  public Input {
    powers = List.copyOf(powers);
    imageShape = List.copyOf(imageShape);
  }

  /** A flat input. */
  public Input(
      String name,
      int rawWidth,
      List<Integer> powers,
      int width,
      int standardizeDdof,
      String dimensionName,
      Span span) {
    this(name, rawWidth, powers, width, standardizeDdof, dimensionName, span, List.of());
  }

  /** Whether it is an image, (C, H, W). */
  public boolean image() {
    return !imageShape.isEmpty();
  }
}
