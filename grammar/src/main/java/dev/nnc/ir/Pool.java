package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * {@code maxpool p kernel 2 stride 2} or {@code avgpool}: per channel, the maximum (or the mean) of
 * each kh × kw window, windows {@code stride} apart (they overlap when the stride is smaller than
 * the kernel). No padding. Max pooling sends the gradient to the first maximum of a window in
 * row-major order (PyTorch's rule); average pooling divides it evenly, 1/(kh·kw) to each.
 */
public record Pool(
    String name,
    String inputName,
    boolean max,
    int inChannels,
    int inHeight,
    int inWidth,
    int outHeight,
    int outWidth,
    int kernelHeight,
    int kernelWidth,
    int strideHeight,
    int strideWidth,
    Span span)
    implements Spatial {
  @Override
  public int outChannels() {
    return inChannels;
  }

  public String keyword() {
    return max ? "maxpool" : "avgpool";
  }
}
