package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * A layer over images, (C, H, W) per row, stored flattened row-major as {@code torch.flatten}: a
 * {@link Conv} or a {@link Pool}. They come before the dense layers ({@link Model#spatial()}); the
 * first dense layer reads the last one's output flattened.
 */
public sealed interface Spatial permits Conv, Pool {
  String name();

  /** The name of what it reads (the input, or the previous spatial layer). */
  String inputName();

  Span span();

  int inChannels();

  int inHeight();

  int inWidth();

  int outChannels();

  int outHeight();

  int outWidth();

  int kernelHeight();

  int kernelWidth();

  int strideHeight();

  int strideWidth();

  /** Values per row it reads: C·H·W. */
  default int inSize() {
    return inChannels() * inHeight() * inWidth();
  }

  /** Values per row it writes. */
  default int outSize() {
    return outChannels() * outHeight() * outWidth();
  }
}
