package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.ir.Model;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.DataLoading;
import dev.nnc.runtime.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows read on their own thread (RowsReadAhead) are handed to the command whole: the same
 * values, labels and validation split as {@link DataLoading#rows} on the calling thread, and its
 * error as it would have thrown it; with the cores oversubscribed by busy threads, many times, so
 * that the reading thread is preempted at every point of the hand-over.
 */
class RowsReadAheadTest {
  @TempDir Path temp;

  private static final String NETWORK =
      "network Tiny {\n    input x[4]\n    dense out[3]\n    label y\n"
          + "    loss softmax_cross_entropy(out, y)\n}\n";

  @Test
  void theRowsArriveWholeWithTheCoresOversubscribed() throws IOException {
    StringBuilder csv = new StringBuilder();
    for (int r = 0; r < 3_000; r++) {
      csv.append(r % 7)
          .append(',')
          .append(r * 0.5)
          .append(',')
          .append(-r)
          .append(',')
          .append(r % 13 / 13.0)
          .append(',')
          .append(r % 3)
          .append('\n');
    }
    Files.writeString(temp.resolve("rows.csv"), csv, StandardCharsets.UTF_8);
    Path file = temp.resolve("tiny.nn");
    Files.writeString(
        file,
        NETWORK
            + "train {\n    optimizer sgd(lr = 0.1)\n    epochs 1\n"
            + "    data csv(\"rows.csv\")\n    validate split(0.2)\n}\n",
        StandardCharsets.UTF_8);
    Model model = CompiledModel.check(file);
    DataLoading.Rows expected = DataLoading.rows(model, file).orElseThrow();
    assertThat(expected.training().rows()).isEqualTo(2_400);

    try (Busy busy = new Busy(2 * Runtime.getRuntime().availableProcessors() + 1)) {
      for (int round = 0; round < 40; round++) {
        DataLoading.Rows rows = RowsReadAhead.start(model, file).rows().orElseThrow();
        assertSame(rows.training(), expected.training());
        assertSame(rows.validation(), expected.validation());
      }
      assertThat(busy.spins()).isGreaterThan(0L);
    }
  }

  @Test
  void theReadersErrorIsThrownByRowsAsItWas() throws IOException {
    Path file = temp.resolve("tiny.nn");
    Files.writeString(
        file,
        NETWORK
            + "train {\n    optimizer sgd(lr = 0.1)\n    epochs 1\n"
            + "    data csv(\"nowhere.csv\")\n}\n",
        StandardCharsets.UTF_8);
    Model model = CompiledModel.check(file);
    RuntimeException direct =
        assertThrows(RuntimeException.class, () -> DataLoading.rows(model, file));
    try (Busy busy = new Busy(2 * Runtime.getRuntime().availableProcessors() + 1)) {
      for (int round = 0; round < 10; round++) {
        RowsReadAhead readAhead = RowsReadAhead.start(model, file);
        RuntimeException ahead = assertThrows(RuntimeException.class, readAhead::rows);
        assertThat(ahead.getClass()).isEqualTo(direct.getClass());
        assertThat(ahead).hasMessageThat().isEqualTo(direct.getMessage());
      }
    }
  }

  private static void assertSame(Dataset actual, Dataset expected) {
    if (expected == null) {
      assertThat(actual).isNull();
      return;
    }
    assertThat(actual.rows()).isEqualTo(expected.rows());
    assertThat(actual.inputWidth()).isEqualTo(expected.inputWidth());
    assertThat(actual.x()).isEqualTo(expected.x());
    assertThat(actual.labels()).isEqualTo(expected.labels());
    assertThat(actual.targets()).isEqualTo(expected.targets());
  }

  /** Threads that spin until closed, more of them than the machine has processors. */
  private static final class Busy implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final long[] counts;

    Busy(int n) {
      counts = new long[n * 16];
      for (int i = 0; i < n; i++) {
        int slot = i * 16;
        Thread t =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    counts[slot]++;
                  }
                },
                "busy-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    long spins() {
      long sum = 0;
      for (long c : counts) {
        sum += c;
      }
      return sum;
    }

    @Override
    public void close() {
      stop.set(true);
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
