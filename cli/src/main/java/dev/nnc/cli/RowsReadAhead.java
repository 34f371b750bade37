package dev.nnc.cli;

import dev.nnc.ir.Model;
import dev.nnc.pipeline.DataLoading;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A recipe's rows, read on a daemon thread from the moment the file is checked, while the calling
 * thread gets the network's class (from the cache, or javac) and starts the warm-up. The rows are
 * the same {@link DataLoading#rows} returns, and its errors are thrown by {@link #rows()}, where
 * the command read the data before, so every message and its order stay as they were.
 */
final class RowsReadAhead {
  private final FutureTask<Optional<DataLoading.Rows>> task;

  private RowsReadAhead(Model model, Path file) {
    task = new FutureTask<>(() -> DataLoading.rows(model, file));
    Thread thread = new Thread(task, "nnc rows");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts reading the rows of {@code model}'s recipe ({@code file} is the checked .nn file). */
  static RowsReadAhead start(Model model, Path file) {
    return new RowsReadAhead(model, file);
  }

  /** The rows, waiting for them; what {@link DataLoading#rows} threw, thrown here as it was. */
  Optional<DataLoading.Rows> rows() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true; // the rows are the command's next step: wait for them
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause); // DataLoading.rows declares no checked exception
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stops the read when the command failed before it needed the rows (nothing once they are read).
   */
  void cancel() {
    task.cancel(true);
  }
}
