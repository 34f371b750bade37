package dev.nnc.cli;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.parallel.DataParallel;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --threads N|auto}: the threads of a generated network's training step. Any N ≥ 1 gives the
 * same bits (see {@link DataParallel}), so this changes only the speed. {@code auto}, the default,
 * takes the available cores when a batch has at least two blocks of rows (each block is about 2
 * MFLOP of work, worth handing to another thread), and never more threads than blocks; 1 otherwise.
 */
final class Threads {
  private Threads() {}

  /** The option's text. */
  static final String DESCRIPTION =
      "threads per training step: a number ≥ 1, or auto (the available cores when a batch has"
          + " at least two blocks of rows, else 1); the same weights bit for bit either way"
          + " (default: auto)";

  /**
   * The requested count: 0 for {@code auto} (or no option), else N ≥ 1; anything else is refused
   * before any work is done, as a usage error.
   */
  static int parse(CommandSpec spec, String threads) {
    int n = count(threads);
    if (n < 0) {
      // through Inputs: a throw of picocli's exception here would make the verifier load picocli
      // with this class, which train's usual forms use without picocli (QuickDispatch)
      Inputs.usageError(spec, "--threads is a number ≥ 1 or auto, got '" + threads + "'");
    }
    return n;
  }

  /** The requested count: 0 for {@code auto} (or null), N ≥ 1, or -1 for anything else. */
  static int count(String threads) {
    if (threads == null || threads.equals("auto")) {
      return 0;
    }
    int n;
    try {
      n = Integer.parseInt(threads.strip());
    } catch (NumberFormatException e) {
      n = -1;
    }
    return n < 1 ? -1 : n;
  }

  /**
   * Sets the threads on {@code network} and prints one line saying how many run and why: {@code
   * requested} is 0 for auto. Returns the count set.
   */
  static int apply(Network network, int requested, int batchRows, PrintWriter out) {
    String name = network.spec().name();
    if (!(network instanceof DataParallel parallel)) {
      out.println(
          "threads: 1 ("
              + name
              + " has only unrolled layers, a step of tens of nanoseconds: it runs on one thread)");
      return 1;
    }
    int blocks = parallel.blocks(batchRows);
    String blocksText =
        "batches of "
            + batchRows
            + " rows are "
            + (blocks == 1 ? "one block" : blocks + " blocks")
            + " of "
            + parallel.blockRows();
    int threads;
    String why;
    if (requested == 0) {
      int cores = Runtime.getRuntime().availableProcessors();
      threads = Math.max(1, Math.min(cores, blocks));
      why = "auto: " + cores + (cores == 1 ? " core, " : " cores, ") + blocksText;
    } else {
      threads = requested;
      why = "--threads " + requested + "; " + blocksText;
      if (requested > blocks) {
        why += ": at most " + blocks + (blocks == 1 ? " thread has" : " threads have") + " work";
      }
    }
    parallel.setThreads(threads);
    out.println("threads: " + threads + " (" + why + ")");
    return threads;
  }
}
