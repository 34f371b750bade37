package dev.nnc.runtime.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The caller and {@code threads − 1} daemon workers run the parts {@code 0 … parts − 1} of one task
 * together: {@code pool.run(task, parts)} returns when every part has run exactly once. The
 * data-parallel step of a generated network runs its blocks of rows, then its slices of the weight
 * gradients, through it.
 *
 * <h2>Correct by construction</h2>
 *
 * All the state of a round is one {@code long}, {@link #state}: the round's generation (a counter
 * that only grows), its part count and the next unclaimed part. A thread claims a part by a
 * compare-and-set from the exact word it read to the same word with the next part one higher, so:
 *
 * <ul>
 *   <li>a part is claimed once: two claims of part k would be two successful CASes from the same
 *       word;
 *   <li>a claim never crosses rounds: a thread that read round g and was descheduled fails its CAS
 *       once round g + 1 is published (the generation differs), and claims nothing of it with g's
 *       view (the bug of the two-thread {@code HelperThread} this class replaces, where a stale
 *       helper ran the old task and erased the new one);
 *   <li>the task is read only after a successful claim: round g cannot end before the claimed part
 *       has run, and the caller writes the next task only after its round ended.
 * </ul>
 *
 * <p>{@link #remaining} counts the parts of the round not yet finished; it is set before the round
 * is published and only a claimed part decrements it, so it reaches 0 exactly when the last part of
 * this round is done.
 *
 * <h2>Waiting</h2>
 *
 * Every wait spins a few microseconds ({@link #SPINS} {@link Thread#onSpinWait} hints: a training
 * step hands over work every few hundred microseconds) and then parks; no thread ever spins alone,
 * and an idle pool costs no CPU. Lost wake-ups are excluded by the usual flag-then-recheck: a
 * worker announces {@code sleeping} before it re-reads the state and parks, the caller publishes
 * the state before it reads {@code sleeping} (all volatile, so one of the two sees the other's
 * write); the caller's wait for the last part is the same with {@code callerWaiting} and {@link
 * #remaining}.
 *
 * <h2>Load</h2>
 *
 * The caller claims parts too, and any thread takes any part: when a worker gets no core (a busy
 * machine), the others run its parts, so more threads are never much slower than one. Handing over
 * a round allocates nothing.
 *
 * <p>One thread at a time calls {@link #run} (the pool belongs to one network). A part that throws
 * does not stop the others; {@link #run} rethrows the first failure once the round is over.
 */
public final class WorkerPool implements AutoCloseable {
  /** Spins before parking: some tens of microseconds (a PAUSE is 10-140 cycles, by CPU). */
  static final int SPINS = 2_000;

  /** The most parts of one round (the part fields of {@link #state} are 16 bits each). */
  public static final int MAX_PARTS = 0xFFFF;

  /**
   * The points between the reads and writes of a hand-over, where a test hook can stop a thread.
   */
  enum Point {
    /** Caller: the task and counters are written, the round not yet published. */
    CALLER_BEFORE_PUBLISH,
    /** Caller: the round is published, the sleeping workers not yet woken. */
    CALLER_BEFORE_WAKE,
    /** Caller: read the state, before its CAS to claim a part. */
    CALLER_BEFORE_CLAIM,
    /** Caller: claimed a part, before it runs it. */
    CALLER_CLAIMED,
    /** Caller: no part left, before it checks whether the round is over. */
    CALLER_BEFORE_WAIT,
    /** Caller: announced it is waiting, before it re-reads {@code remaining} and parks. */
    CALLER_BEFORE_PARK,
    /** Worker: read a state with a part to claim, before its CAS. */
    WORKER_BEFORE_CLAIM,
    /** Worker: claimed a part, before it reads the task and runs it. */
    WORKER_CLAIMED,
    /** Worker: ran its part, before it decrements {@code remaining}. */
    WORKER_BEFORE_FINISH,
    /** Worker: finished the round's last part, before it reads whether the caller waits. */
    WORKER_BEFORE_WAKE_CALLER,
    /** Worker: announced it sleeps, before it re-reads the state and parks. */
    WORKER_BEFORE_PARK
  }

  /** Where a test stops threads; production pools have a hook that does nothing. */
  interface Hook {
    void at(Point point);
  }

  private static final Hook NO_HOOK = point -> {};

  private static final int PART_BITS = 16;
  private static final long PART_MASK = (1L << PART_BITS) - 1;

  /** generation (32 bits) | parts (16) | next part (16). */
  private final AtomicLong state = new AtomicLong();

  /** Parts of the current round not yet finished. */
  private final AtomicInteger remaining = new AtomicInteger();

  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread[] workers;

  /** Per worker: it is parked, or about to be; the caller must unpark it. */
  private final AtomicIntegerArray sleeping;

  private final Hook hook;
  private volatile boolean callerWaiting;
  private volatile boolean closed;

  /** The task of the round being run; written before it is published. */
  private IntConsumer task;

  /** The thread in {@link #run}, which the last part wakes. */
  private volatile Thread caller;

  /**
   * {@code threads} threads in all: the caller of {@link #run} and {@code threads − 1} daemon
   * workers named {@code name-1}, {@code name-2}, …
   */
  public WorkerPool(String name, int threads) {
    this(name, threads, NO_HOOK);
  }

  WorkerPool(String name, int threads, Hook hook) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.hook = hook;
    this.workers = new Thread[threads - 1];
    this.sleeping = new AtomicIntegerArray(threads - 1);
    for (int w = 0; w < workers.length; w++) {
      int index = w;
      Thread thread = new Thread(() -> work(index), name + "-" + (w + 1));
      thread.setDaemon(true);
      workers[w] = thread;
    }
    for (Thread thread : workers) {
      thread.start();
    }
  }

  /** The threads that run parts: the caller and the workers. */
  public int threads() {
    return workers.length + 1;
  }

  /** The worker threads, for tests. */
  Thread[] workerThreads() {
    return workers.clone();
  }

  /**
   * Runs {@code task.accept(part)} for every part in [0, parts), each exactly once, on this thread
   * and the workers; returns when all have run. Rethrows the first exception a part threw (the
   * other parts still ran).
   */
  public void run(IntConsumer task, int parts) {
    if (parts < 0 || parts > MAX_PARTS) {
      throw new IllegalArgumentException("parts must be in [0, " + MAX_PARTS + "], got " + parts);
    }
    if (closed) {
      throw new IllegalStateException("the worker pool is closed");
    }
    if (parts == 0) {
      return;
    }
    this.task = task;
    this.caller = Thread.currentThread();
    remaining.set(parts);
    long current = state.get();
    long generation = (current >>> (2 * PART_BITS)) + 1;
    long published = (generation << (2 * PART_BITS)) | ((long) parts << PART_BITS);
    hook.at(Point.CALLER_BEFORE_PUBLISH);
    state.set(published); // volatile: task, caller and remaining happen-before any claim
    hook.at(Point.CALLER_BEFORE_WAKE);
    int wake = Math.min(workers.length, parts - 1);
    for (int w = 0; w < wake; w++) {
      if (sleeping.get(w) != 0) {
        LockSupport.unpark(workers[w]);
      }
    }
    // claim parts like any worker
    while (true) {
      long s = state.get();
      if (!claimable(s, generation)) {
        break;
      }
      hook.at(Point.CALLER_BEFORE_CLAIM);
      if (state.compareAndSet(s, s + 1)) {
        hook.at(Point.CALLER_CLAIMED);
        runPart((int) (s & PART_MASK));
        remaining.decrementAndGet(); // the last part finished here: no one to wake
      }
    }
    hook.at(Point.CALLER_BEFORE_WAIT);
    for (int spin = 0; remaining.get() != 0 && spin < SPINS; spin++) {
      Thread.onSpinWait();
    }
    if (remaining.get() != 0) {
      callerWaiting = true;
      hook.at(Point.CALLER_BEFORE_PARK);
      while (remaining.get() != 0) {
        LockSupport.park(this);
      }
      callerWaiting = false;
    }
    this.task = null;
    Throwable thrown = failure.getAndSet(null);
    if (thrown != null) {
      if (thrown instanceof RuntimeException e) {
        throw e;
      }
      if (thrown instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(thrown);
    }
  }

  /** Whether {@code s} is round {@code generation} with a part left to claim. */
  private static boolean claimable(long s, long generation) {
    return (s >>> (2 * PART_BITS)) == (generation & 0xFFFF_FFFFL)
        && (s & PART_MASK) < ((s >>> PART_BITS) & PART_MASK);
  }

  /** Runs a claimed part; the caller and the workers alike. */
  private void runPart(int part) {
    try {
      task.accept(part); // read after the claim: this round cannot end before this part has run
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
  }

  /** Ends the workers once idle; the pool cannot run again. */
  @Override
  public void close() {
    closed = true;
    for (Thread worker : workers) {
      LockSupport.unpark(worker);
    }
  }

  private void work(int index) {
    long seen = 0; // the generation whose parts this worker has given up on
    while (!closed) {
      long s = state.get();
      long generation = s >>> (2 * PART_BITS);
      if (generation == seen || !claimable(s, generation)) {
        seen = generation;
        s = awaitRound(index, generation);
        if (s == -1) {
          continue;
        }
        generation = s >>> (2 * PART_BITS);
      }
      hook.at(Point.WORKER_BEFORE_CLAIM);
      if (!state.compareAndSet(s, s + 1)) {
        continue; // another thread claimed it, or a new round began: read again
      }
      hook.at(Point.WORKER_CLAIMED);
      runPart((int) (s & PART_MASK));
      hook.at(Point.WORKER_BEFORE_FINISH);
      if (remaining.decrementAndGet() == 0) {
        hook.at(Point.WORKER_BEFORE_WAKE_CALLER);
        if (callerWaiting) {
          LockSupport.unpark(caller);
        }
      }
    }
  }

  /**
   * Spins, then parks, until the state is a round after {@code generation} with a part to claim;
   * returns it, or -1 to have the loop read the state again (closed, or woken for nothing).
   */
  private long awaitRound(int index, long generation) {
    for (int spin = 0; spin < SPINS; spin++) {
      long s = state.get();
      if ((s >>> (2 * PART_BITS)) != generation && claimable(s, s >>> (2 * PART_BITS))) {
        return s;
      }
      Thread.onSpinWait();
    }
    sleeping.set(index, 1);
    hook.at(Point.WORKER_BEFORE_PARK);
    long s = state.get();
    if ((s >>> (2 * PART_BITS)) == generation && !closed) {
      LockSupport.park(this);
    }
    sleeping.set(index, 0);
    return -1;
  }
}
