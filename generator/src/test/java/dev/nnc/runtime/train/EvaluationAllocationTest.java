package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.testing.Seeds;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-epoch measurement allocates nothing once its buffers exist: the validation pass ({@link
 * Evaluation#run}: chunks copied, loss, outputs of the same pass, the sums, the AUC's sort) and a
 * step's share of the running training figures ({@link Network#lastOutputs} and {@link
 * MetricSums#add}), on a generated 10-class network and a two-class one (whose AUC sorts every
 * score). HotSpot's per-thread allocation counter, zero bytes, the least of repeated measurements
 * (a late JIT event can allocate once; an allocation per call would show in every one).
 */
class EvaluationAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void anEpochsMeasurementAllocatesNothing() {
    CompileResult two =
        NnCompiler.compile(
            "two.nn",
            "network Two {\n  input x[12]\n  dense h[24] relu\n  dense out[2]\n  label y\n"
                + "  loss softmax_cross_entropy(out, y)\n}\n");
    assertThat(two.ok()).isTrue();
    List<CompiledModel> models =
        List.of(CompiledModel.of(Seeds.model("S5")), CompiledModel.of(two.model().orElseThrow()));
    assertWithMessage("the counter itself allocates").that(allocatedBy(() -> {})).isEqualTo(0);
    for (CompiledModel model : models) {
      Network network = model.newNetwork(10);
      network.initialize(2);
      Batch rows = Batch.random(network.spec(), 400, 5);
      Dataset data =
          new Dataset(
              "v",
              400,
              network.spec().inputWidth(),
              rows.x,
              network.spec().targetWidth(),
              null,
              rows.labels);
      Metrics metrics = Metrics.classification();
      Evaluation evaluation = new Evaluation(network, metrics, data, true, true);
      MetricSums running = new MetricSums(metrics, network.spec(), 10 * 40);
      Batch batch = Batch.random(network.spec(), 10, 6);
      double[] outputs = new double[10 * network.spec().outputWidth()];
      double[] sink = new double[1];
      Runnable epoch =
          () -> {
            running.reset();
            for (int step = 0; step < 40; step++) {
              network.lossAndGradient(batch);
              network.lastOutputs(10, outputs);
              running.add(outputs, batch, 10);
            }
            sink[0] += running.auc();
            sink[0] += evaluation.run();
            sink[0] += evaluation.sums().auc();
          };
      for (int warm = 0; warm < 200; warm++) {
        epoch.run();
      }
      long bytes = Long.MAX_VALUE;
      long deadline = System.nanoTime() + 30_000_000_000L;
      for (int attempt = 0; bytes != 0 && (attempt < 20 || System.nanoTime() < deadline); ) {
        bytes = Math.min(bytes, allocatedBy(epoch));
        attempt++;
      }
      assertWithMessage("%s: bytes allocated by an epoch's measurement", network.spec().name())
          .that(bytes)
          .isEqualTo(0);
      assertThat(running.rows()).isEqualTo(400);
      assertThat(evaluation.sums().rows()).isEqualTo(400);
    }
  }

  private static long allocatedBy(Runnable work) {
    long thread = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(thread);
    work.run();
    return THREADS.getThreadAllocatedBytes(thread) - before;
  }
}
