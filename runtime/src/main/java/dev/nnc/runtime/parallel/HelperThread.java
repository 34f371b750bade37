package dev.nnc.runtime.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that runs a task while its caller runs another: the data-parallel training step
 * of a generated network hands it the second half of the batch's rows, then the second half of each
 * weight gradient's rows. Both sides wait by spinning briefly (a training loop hands over work
 * every few hundred microseconds) and then parking, never by spinning alone: an idle network costs
 * no CPU. Handing over a task allocates nothing.
 *
 * <pre>
 * helper.start(secondHalf);   // runs on the helper thread
 * firstHalf();                // runs here meanwhile
 * helper.join();              // returns when secondHalf is done; rethrows what it threw
 * </pre>
 *
 * <p>Whoever comes first runs the task: if the helper thread has not picked it up by the time the
 * caller joins (the machine is busy and it got no core), the caller runs it itself, so two threads
 * are never much slower than one.
 */
public final class HelperThread {
  /** Spins before parking: some tens of microseconds (a PAUSE is 10-140 cycles, by CPU). */
  private static final int SPINS = 5_000;

  private final Thread thread;
  private volatile Runnable task;
  private volatile boolean busy;
  private volatile Thread waiter;
  private volatile Throwable failure;
  private volatile boolean closed;

  /** False while a started task waits for someone to run it. */
  private final AtomicBoolean claimed = new AtomicBoolean(true);

  public HelperThread(String name) {
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Hands {@code work} to the helper thread; call {@link #join} before the next start. */
  public void start(Runnable work) {
    if (busy || closed) {
      throw new IllegalStateException(
          closed ? "the helper thread is closed" : "the helper thread is busy");
    }
    failure = null;
    busy = true;
    task = work;
    claimed.set(false);
    LockSupport.unpark(thread);
  }

  /** Waits until the task given to {@link #start} is done; rethrows what it threw. */
  public void join() {
    if (claimed.compareAndSet(false, true)) {
      // the helper has not started it: run it here
      Runnable work = task;
      task = null;
      try {
        work.run();
      } finally {
        busy = false;
      }
      return;
    }
    for (int spin = 0; busy && spin < SPINS; spin++) {
      Thread.onSpinWait();
    }
    if (busy) {
      waiter = Thread.currentThread();
      while (busy) {
        LockSupport.park(this);
      }
      waiter = null;
    }
    Throwable thrown = failure;
    if (thrown != null) {
      failure = null;
      if (thrown instanceof RuntimeException e) {
        throw e;
      }
      if (thrown instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(thrown);
    }
  }

  /** Ends the thread once it is idle; the helper cannot be started again. */
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }

  private void loop() {
    while (!closed) {
      Runnable work = task;
      for (int spin = 0; work == null && spin < SPINS; spin++) {
        Thread.onSpinWait();
        work = task;
      }
      if (work == null) {
        LockSupport.park(this);
        continue;
      }
      if (!claimed.compareAndSet(false, true)) {
        Thread.onSpinWait(); // the caller took it and is clearing task
        continue;
      }
      task = null;
      try {
        work.run();
      } catch (Throwable e) {
        failure = e;
      }
      busy = false;
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }
}
