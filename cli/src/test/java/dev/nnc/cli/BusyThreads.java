package dev.nnc.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Threads that spin until closed, started by a test beside the threads it checks: with twice as
 * many of them as cores, every thread of the test waits for a core now and then, at any point of
 * its code, as on a busy machine.
 */
public final class BusyThreads implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  /** Starts {@code 2 × availableProcessors} spinning daemon threads. */
  public static BusyThreads oversubscribe() {
    return new BusyThreads(2 * Runtime.getRuntime().availableProcessors());
  }

  public BusyThreads(int count) {
    for (int t = 0; t < count; t++) {
      Thread thread =
          new Thread(
              () -> {
                long x = 1;
                while (!stop) {
                  x = x * 6364136223846793005L + 1442695040888963407L;
                  if (x == 0) {
                    Thread.onSpinWait(); // never true; keeps x alive
                  }
                }
              },
              "busy-" + t);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  @Override
  public void close() {
    stop = true;
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
