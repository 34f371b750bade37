package dev.nnc.runtime.parallel;

/**
 * A network whose training step can split a large batch over threads. Results do not depend on the
 * thread count: a large batch is always computed in two halves (the rows, whose losses are added
 * first + second; then the rows of each weight gradient, each element one sum over the whole
 * batch), by one thread or by two.
 */
public interface DataParallel {
  /** 1 (the default) or 2: how many threads {@code lossAndGradient} uses on large batches. */
  void setThreads(int threads);

  /** The threads set by {@link #setThreads}. */
  int threads();

  /** The smallest batch that is split in two halves (each about 0.5 ms of work or more). */
  int splitRows();
}
