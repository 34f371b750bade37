package dev.nnc.check;

import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.DataSource;
import dev.nnc.ir.Precision;
import dev.nnc.ir.Train;
import java.util.Locale;

/**
 * Refuses a network whose parameters, gradients and the activation and delta buffers of one batch
 * need more than 16 GiB: the generated class allocates all of them up front, and a clear message
 * now beats an OutOfMemoryError later.
 */
final class MemoryPass implements CheckPass {
  static final double LIMIT_BYTES = 16.0 * (1L << 30);

  @Override
  public void run(CheckContext context) {
    double parameters = 0;
    double activationsPerRow = context.inputWidth;
    for (int i = 0; i < context.denseLayers.size(); i++) {
      double in = context.layerInputWidth(i);
      double out = context.layerWidths.get(i);
      parameters += in * out + (context.biases.get(i) ? out : 0);
      activationsPerRow += 2 * out; // activation and delta
    }
    for (dev.nnc.ir.Spatial layer : context.spatialLayers) {
      if (layer instanceof dev.nnc.ir.Conv conv) {
        parameters += (double) conv.kernelSize() + (conv.bias() ? conv.outChannels() : 0);
      }
      activationsPerRow += 4.0 * layer.outSize(); // z, a and their deltas (at most)
    }
    long rows = batchRows(context);
    double elementBytes = context.precision == Precision.FLOAT ? 4 : 8;
    double bytes = elementBytes * (2 * parameters + rows * activationsPerRow);
    if (bytes > LIMIT_BYTES) {
      context.report(
          DiagnosticCode.MEMORY_TOO_LARGE,
          context.network.name().span(),
          context.network.name().text(),
          String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30)),
          rows == 1 ? "1 row" : rows + " rows");
    }
  }

  /**
   * Rows in one batch: the batch size, else (full batch) the inline data's rows or a data file's
   * {@code rows N}, else 1: a file's size is known only when it is read.
   */
  private static long batchRows(CheckContext context) {
    int batchSize = context.trainIr.map(Train::batchSize).orElse(0);
    if (batchSize > 0) {
      return batchSize;
    }
    if (context.inlineData.isPresent()) {
      return context.inlineData.get().rows();
    }
    return context.dataSource.map(DataSource::rows).filter(rows -> rows > 0).orElse(1);
  }
}
