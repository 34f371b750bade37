package dev.nnc.cli;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.parallel.DataParallel;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code --threads}: 1 or 2 threads for a generated network's training step. */
final class Threads {
  private Threads() {}

  /** Refuses anything but 1 or 2, before any work is done. */
  static void check(CommandSpec spec, int threads) {
    if (threads < 1 || threads > 2) {
      throw new ParameterException(spec.commandLine(), "--threads is 1 or 2, got " + threads);
    }
  }

  /**
   * Sets {@code threads} on {@code network} and says when the second thread will not be used: a
   * network of unrolled layers only, or batches smaller than the split. The results are the same
   * bits on one thread or two, so this changes only the speed.
   */
  static void apply(
      CommandSpec spec, Network network, int threads, int batchRows, PrintWriter out) {
    check(spec, threads);
    if (threads == 1) {
      return;
    }
    String name = network.spec().name();
    if (!(network instanceof DataParallel parallel)) {
      out.println(
          "nnc: "
              + name
              + " has only unrolled layers (a step of tens of nanoseconds): it runs on one thread");
      return;
    }
    parallel.setThreads(threads);
    if (batchRows < parallel.splitRows()) {
      out.println(
          "nnc: "
              + name
              + " splits batches of at least "
              + parallel.splitRows()
              + " rows over two threads; batches of "
              + batchRows
              + " run on one");
    }
  }
}
