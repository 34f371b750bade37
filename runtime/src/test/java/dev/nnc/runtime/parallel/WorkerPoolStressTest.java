package dev.nnc.runtime.parallel;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * Hands over 4 × 10⁵ parts in 30,000 rounds while busy threads oversubscribe the cores, and checks
 * that every part of every round runs exactly once, in its round (it sees the round number the
 * caller wrote before the round, a plain field), and that nothing runs after its round ended. Once
 * more with a hook that delays the threads at random points between the reads and writes of the
 * hand-over (yields, spins, short parks), the interleavings the race needed. {@code
 * -Dnnc.stress.rounds=N} runs longer.
 */
class WorkerPoolStressTest {
  private static final int ROUNDS = Integer.getInteger("nnc.stress.rounds", 2_500);

  /** Runs rounds and checks each; the parts of round r record r. */
  private static final class Rounds implements IntConsumer {
    final AtomicIntegerArray runs;
    final int[] seen;
    final AtomicLong total = new AtomicLong();
    int round; // plain: published to the parts by the pool's hand-over

    Rounds(int parts) {
      runs = new AtomicIntegerArray(parts);
      seen = new int[parts];
    }

    @Override
    public void accept(int part) {
      runs.incrementAndGet(part);
      seen[part] = round;
      total.incrementAndGet();
      // a little work, so that rounds overlap with the workers' waits
      double x = part;
      for (int k = 0; k < 50; k++) {
        x = Math.sqrt(x + k);
      }
      if (x < 0) {
        throw new AssertionError();
      }
    }

    void run(WorkerPool pool, int rounds, int parts) {
      for (int r = 1; r <= rounds; r++) {
        round = r;
        pool.run(this, parts);
        for (int p = 0; p < parts; p++) {
          int count = runs.getAndSet(p, 0);
          if (count != 1 || seen[p] != r) {
            throw new AssertionError(
                "round " + r + " part " + p + " ran " + count + " times, saw round " + seen[p]);
          }
        }
      }
    }
  }

  private static long stress(int threads, WorkerPool.Hook hook, int rounds) {
    long parts = 0;
    try (BusyThreads busy = BusyThreads.oversubscribe();
        WorkerPool pool = new WorkerPool("stress", threads, hook)) {
      // parts per round: fewer than, as many as, and more than the threads
      for (int perRound : new int[] {1, threads, 3 * threads + 1, 40}) {
        Rounds check = new Rounds(perRound);
        check.run(pool, rounds, perRound);
        // nothing ran late: a stale part would add to the total after its round
        LockSupport.parkNanos(2_000_000);
        assertWithMessage("%s threads, %s parts per round", threads, perRound)
            .that(check.total.get())
            .isEqualTo((long) rounds * perRound);
        parts += check.total.get();
      }
    }
    return parts;
  }

  @Test
  void everyPartRunsOnceInItsRoundUnderLoad() {
    long parts = 0;
    for (int threads : new int[] {2, 3, 4}) {
      parts += stress(threads, point -> {}, ROUNDS);
    }
    assertThat(parts).isAtLeast(ROUNDS * 160L); // 400,000 by default
  }

  @Test
  void everyPartRunsOnceWhenTheThreadsAreDelayedAtEveryPoint() {
    // each point of the hand-over, on every thread, now and then yields, spins or sleeps briefly
    WorkerPool.Hook delays =
        new WorkerPool.Hook() {
          private final ThreadLocal<SplittableRandom> random =
              ThreadLocal.withInitial(() -> new SplittableRandom(Thread.currentThread().getId()));

          @Override
          public void at(WorkerPool.Point point) {
            SplittableRandom r = random.get();
            // a yield or a park costs a trip through the scheduler (tens of milliseconds on a
            // loaded machine): rarely; mostly spins of up to some microseconds
            int dice = r.nextInt(256);
            if (dice < 64) {
              for (int k = r.nextInt(2_000); k > 0; k--) {
                Thread.onSpinWait();
              }
            } else if (dice < 65) {
              Thread.yield();
            } else if (dice < 66) {
              LockSupport.parkNanos(r.nextInt(1, 20_000));
            }
          }
        };
    long parts = 0;
    for (int threads : new int[] {2, 4}) {
      parts += stress(threads, delays, ROUNDS / 3);
    }
    assertThat(parts).isAtLeast(ROUNDS / 3 * 100L);
  }

  @Test
  void aFailingPartIsRethrownAfterTheOthersRanAndThePoolGoesOn() {
    try (WorkerPool pool = new WorkerPool("failing", 3)) {
      AtomicIntegerArray runs = new AtomicIntegerArray(8);
      IllegalStateException thrown =
          assertThrows(
              IllegalStateException.class,
              () ->
                  pool.run(
                      part -> {
                        runs.incrementAndGet(part);
                        if (part == 5) {
                          throw new IllegalStateException("part 5 failed");
                        }
                      },
                      8));
      assertThat(thrown).hasMessageThat().isEqualTo("part 5 failed");
      for (int p = 0; p < 8; p++) {
        assertWithMessage("part %s", p).that(runs.get(p)).isEqualTo(1);
      }
      Rounds next = new Rounds(8);
      next.run(pool, 100, 8);
      assertThat(next.total.get()).isEqualTo(800L);
    }
  }

  @Test
  void anIdlePoolParksItsWorkers() throws InterruptedException {
    try (WorkerPool pool = new WorkerPool("idle", 3)) {
      new Rounds(6).run(pool, 10, 6);
      Thread[] workers = pool.workerThreads();
      long deadline = System.nanoTime() + 5_000_000_000L;
      boolean parked = false;
      while (!parked && System.nanoTime() < deadline) {
        Thread.sleep(5);
        parked = true;
        for (Thread worker : workers) {
          parked &= worker.getState() == Thread.State.WAITING;
        }
      }
      assertWithMessage("idle workers are parked (WAITING), not spinning").that(parked).isTrue();
    }
  }

  @Test
  void refusesBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new WorkerPool("zero", 0));
    try (WorkerPool pool = new WorkerPool("args", 2)) {
      assertThrows(IllegalArgumentException.class, () -> pool.run(p -> {}, -1));
      assertThrows(
          IllegalArgumentException.class, () -> pool.run(p -> {}, WorkerPool.MAX_PARTS + 1));
      pool.close();
      assertThrows(IllegalStateException.class, () -> pool.run(p -> {}, 1));
    }
  }
}
