package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;
import java.util.concurrent.locks.LockSupport;

/**
 * Fills the {@link Trainer}'s minibatches on a thread of its own, ahead of the steps (a data
 * loader's worker): the same rows in the same order as the trainer's own {@code fill}, so the same
 * bits. One producer (the loader thread) and one consumer (the training thread) hand batches over
 * through a ring of {@link #SLOTS} batches; the consumer never waits for the loader: a batch that
 * is not ready when the step wants it, the consumer fills itself (the same rows, so the same
 * batch), and the loader skips it.
 *
 * <p>Steps are numbered from 0 over the whole run (all epochs); step k's batch is ring slot {@code
 * k % SLOTS}. The consumer posts an epoch ({@link #startEpoch}: the row order and the number of
 * steps), takes its batches one by one ({@link #take}) and {@link #close}s the loader at the end.
 * Three volatile counters, each written by one thread, carry every hand-over (a volatile write
 * happens-before every read that sees it, and so does everything the writer did before it):
 *
 * <ul>
 *   <li>{@code posted} (the consumer): epochs posted. The consumer writes the epoch's {@code
 *       order}, first step and step count, then increments {@code posted}; the loader reads them
 *       after it has read the new {@code posted}, so it sees this epoch's. The consumer posts an
 *       epoch only after it has taken every step of the previous one, then shuffles {@code order}
 *       in place for the next: a fill of the loader that reads {@code order} then is of a step the
 *       consumer has taken already (it filled that batch itself), whose slot it never reads.
 *   <li>{@code filled} (the loader): the loader has filled the slots of every step below {@code
 *       filled} that the consumer had not taken (released) when the loader came to it. It writes
 *       the slot (reading {@code order} and the data), then {@code filled}; the consumer reads a
 *       slot only for its next step k and only after reading {@code filled > k}.
 *   <li>{@code released} (the consumer): every step below it is the consumer's business no more:
 *       written as k when it takes step k from the ring (it holds slot k until its next take: the
 *       step, its metrics and listeners read it), as k + 1 when it fills step k itself. The loader
 *       fills step j only when {@code j - released < SLOTS} (so never the slot the consumer holds)
 *       and skips every step below {@code released} (taken, so never read from the ring).
 * </ul>
 *
 * <p>A step whose slot the loader skipped is never read: the loader skips only steps below {@code
 * released}, which the consumer has taken already. So when the consumer reads {@code filled > k}
 * for its next step k, the loader came to step k before the consumer released it and filled it.
 *
 * <p>Waiting. The consumer never waits. The loader waits for an epoch ({@link LockSupport#park},
 * woken by {@link #startEpoch}) and for a free slot: it naps {@link #NAP_NANOS} at a time (timed
 * park) and the consumer wakes it sooner only when at most {@link #WAKE_AHEAD} filled batches are
 * left, so the training thread pays an {@code unpark} rarely (not every few steps). Each wait sets
 * {@code loaderWaiting} and reads the counter again before parking; the consumer writes its counter
 * and then reads the flag: no wake-up is lost, and {@code park}'s permit ends a park at once that
 * an {@code unpark} preceded. Nothing spins.
 *
 * <p>Failures and the end. When the loader's fill throws, the loader ends; the consumer fills that
 * step itself and gets the same exception (the same message) where the trainer's own fill gave it.
 * {@link #close} (the trainer's {@code finally}: after the last epoch, an exception, a divergence)
 * stops the loader and waits for its thread to end, also when the consumer is interrupted (its
 * interrupt status is kept). The thread is a daemon: a JVM that is killed or exits is never held.
 */
final class BatchLoader implements AutoCloseable {
  /** Batches in the ring: the consumer holds one, the loader fills up to SLOTS - 1 ahead. */
  static final int SLOTS = 8;

  /** The consumer wakes a napping loader when at most this many filled batches are left. */
  static final int WAKE_AHEAD = 2;

  /** The loader's nap when the ring is full: a few steps' time. */
  static final long NAP_NANOS = 50_000;

  private final Batch[] ring = new Batch[SLOTS];
  private final Batch own;
  private final Dataset data;
  private final int batchRows;
  private final Fill fill;
  private final Thread consumer;
  private final Thread thread;

  // the posted epoch: written by the consumer before posted, read by the loader after it
  private int[] order;
  private long first;
  private int steps;

  private volatile long posted;
  private volatile long filled;
  private volatile long released;
  private volatile boolean loaderWaiting;
  private volatile boolean closed;

  // the consumer's own: the next step to take, and the current epoch's first step
  private long next;
  private long epochFirst;
  private int[] epochOrder;

  // counts, for tests and measurement (the consumer's)
  private long ownFills;
  private long ringTakes;

  /** Fills a batch with rows {@code rows[from .. from + count)} of {@code data}. */
  interface Fill {
    void fill(Batch batch, Dataset data, int[] rows, int from, int count);
  }

  /**
   * Starts the loader thread.
   *
   * @param network whose kind of batch the ring holds ({@link Network#newBatch}: float rows for a
   *     float network), as the trainer's own batch
   * @param fill how a batch is filled, on both threads ({@code Trainer::fill}; tests give others)
   */
  BatchLoader(Network network, Dataset data, int batchRows, Fill fill) {
    for (int i = 0; i < SLOTS; i++) {
      ring[i] = network.newBatch(batchRows);
    }
    this.own = network.newBatch(batchRows);
    this.data = data;
    this.batchRows = batchRows;
    this.fill = fill;
    this.consumer = Thread.currentThread();
    this.thread = new Thread(this::run, "nnc-batch-loader");
    thread.setDaemon(true);
    thread.start(); // happens-before everything the loader does: it sees the fields above
  }

  /**
   * Posts an epoch: its {@code epochSteps} batches are rows {@code rows[s · batchRows …]} for s =
   * 0, 1, …, the last one smaller when the rows run out. Call after every batch of the previous
   * epoch is taken.
   */
  void startEpoch(int[] rows, int epochSteps) {
    epochOrder = rows;
    epochFirst = next;
    order = rows;
    first = next;
    steps = epochSteps;
    posted = posted + 1; // publishes order, first and steps
    LockSupport.unpark(thread);
  }

  /** The next step's batch (the previous one taken is released). */
  Batch take() {
    long k = next++;
    if (filled > k) {
      released = k; // the previous step's batch is free; this one is held until the next take
      if (filled - next <= WAKE_AHEAD && loaderWaiting) {
        LockSupport.unpark(thread);
      }
      ringTakes++;
      return ring[(int) (k % SLOTS)];
    }
    released = k + 1; // the loader skips step k: the consumer fills it itself
    if (loaderWaiting) {
      LockSupport.unpark(thread);
    }
    ownFills++;
    int start = (int) (k - epochFirst) * batchRows;
    fill.fill(own, data, epochOrder, start, Math.min(batchRows, epochOrder.length - start));
    return own;
  }

  /** How many batches the consumer filled itself (the loader was not ahead). */
  long ownFills() {
    return ownFills;
  }

  /** How many batches the consumer took from the ring (filled by the loader). */
  long ringTakes() {
    return ringTakes;
  }

  /** Stops the loader and waits for its thread to end; the caller's interrupt status is kept. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      consumer.interrupt();
    }
  }

  /** The loader's thread: for tests. */
  Thread thread() {
    return thread;
  }

  private void run() {
    long seen = 0;
    long j = 0; // the next step the loader fills
    try {
      while (!closed) {
        if (posted == seen) {
          loaderWaiting = true;
          if (posted == seen && !closed) {
            LockSupport.park(this);
          }
          loaderWaiting = false;
          continue;
        }
        seen++;
        int[] rows = order;
        long from = first;
        long end = from + steps;
        int m = rows.length;
        j = Math.max(j, from);
        while (!closed) {
          long free = released;
          j = Math.max(j, free); // steps below released are taken: skipped
          if (j >= end) {
            break;
          }
          if (j - free >= SLOTS) {
            loaderWaiting = true;
            if (j - released >= SLOTS && !closed) {
              LockSupport.parkNanos(this, NAP_NANOS);
            }
            loaderWaiting = false;
            continue;
          }
          int start = (int) (j - from) * batchRows;
          fill.fill(ring[(int) (j % SLOTS)], data, rows, start, Math.min(batchRows, m - start));
          j++;
          filled = j; // publishes the batch
        }
      }
    } catch (RuntimeException | Error e) {
      // ends the loader; the consumer fills the rest itself and meets the same failure, if any
    }
  }
}
