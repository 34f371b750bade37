package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * {@code conv c1[6] kernel 5 stride 1 pad 2 relu}: z[o][y][x] = b[o] + Σ_c Σ_i Σ_j K[o][c][i][j] ·
 * in[c][y·sh + i − ph][x·sw + j − pw] (zero outside the input), a = act(z). The kernel K is stored
 * as PyTorch's (out_ch, in_ch, kh, kw).
 *
 * @param padHeight zero rows added above and below
 * @param padWidth zero columns added left and right
 */
public record Conv(
    String name,
    String inputName,
    int inChannels,
    int inHeight,
    int inWidth,
    int outChannels,
    int outHeight,
    int outWidth,
    int kernelHeight,
    int kernelWidth,
    int strideHeight,
    int strideWidth,
    int padHeight,
    int padWidth,
    boolean bias,
    Activation activation,
    Init weightInit,
    Init biasInit,
    Span span)
    implements Spatial {

  /** Kernel values per filter: in_ch · kh · kw (the fan-in). */
  public int patchSize() {
    return inChannels * kernelHeight * kernelWidth;
  }

  /** Every kernel value: out_ch · in_ch · kh · kw. */
  public int kernelSize() {
    return outChannels * patchSize();
  }
}
