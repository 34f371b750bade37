package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.ir.Model;
import dev.nnc.reference.ReferenceNetwork;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.parallel.DataParallel;
import dev.nnc.testing.Batches;
import dev.nnc.testing.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A large batch is split in two halves whose gradients are summed in a fixed order: one thread and
 * two threads give bit-identical losses and gradients, both equal to the reference's (1e-10), and
 * repeated split steps stay identical (no state leaks between the halves).
 */
class DataParallelTest {

  @Test
  void twoThreadsGiveTheSameBitsAsOneAndMatchTheReference() {
    Model s4 = Seeds.model("S4");
    Model s5 = SeedNetworksTest.asFloat(Seeds.model("S5"));
    Model s3 = Seeds.model("S3");
    GeneratedNetworks compiled = GeneratedNetworks.compile(List.of(s4, s5, s3));
    for (Model model : List.of(s4, s5, s3)) {
      Network probe = compiled.create(model, 1);
      int split = ((DataParallel) probe).splitRows();
      int rows = split + 3; // odd: the halves differ in size
      Network one = compiled.create(model, rows);
      Network two = compiled.create(model, rows);
      ((DataParallel) two).setThreads(2);
      assertThat(((DataParallel) two).threads()).isEqualTo(2);
      ReferenceNetwork reference = new ReferenceNetwork(model, rows);
      one.initialize(5);
      two.initialize(5);
      reference.initialize(5);
      one.setPenaltyExampleCount(1000);
      two.setPenaltyExampleCount(1000);
      reference.setPenaltyExampleCount(1000);
      Batch batch = Batches.random(one.spec(), rows, 11);
      int n = one.spec().parameterCount();
      for (int step = 0; step < 3; step++) {
        double lossOne = one.lossAndGradient(batch);
        double lossTwo = two.lossAndGradient(batch);
        double lossReference = reference.lossAndGradient(batch);
        double[] gradientOne = new double[n];
        double[] gradientTwo = new double[n];
        double[] gradientReference = new double[n];
        one.getGradient(gradientOne);
        two.getGradient(gradientTwo);
        reference.getGradient(gradientReference);
        assertWithMessage("%s step %s: loss, 2 threads vs 1", model.name(), step)
            .that(lossTwo)
            .isEqualTo(lossOne);
        assertWithMessage("%s step %s: gradient, 2 threads vs 1", model.name(), step)
            .that(gradientTwo)
            .isEqualTo(gradientOne);
        if (one.spec().precision() == dev.nnc.runtime.NetworkSpec.Precision.DOUBLE) {
          assertWithMessage("%s: loss vs reference", model.name())
              .that(lossOne)
              .isWithin(1e-10 * Math.abs(lossReference))
              .of(lossReference);
          Tolerances.Mismatch worst =
              Tolerances.worst("gradient", one.spec(), gradientOne, gradientReference, 1e-6);
          assertWithMessage("%s: gradient vs reference, %s", model.name(), worst.description())
              .that(worst.error())
              .isAtMost(1e-10);
        }
        one.sgdStep(1e-7);
        two.sgdStep(1e-7);
        reference.sgdStep(1e-7);
      }
      ((DataParallel) two).setThreads(1);
    }
  }

  @Test
  void aSplitStepOnTwoThreadsAllocatesNothing() {
    Model s4 = Seeds.model("S4");
    GeneratedNetworks compiled = GeneratedNetworks.compile(s4);
    Network network = compiled.create(s4, 64);
    ((DataParallel) network).setThreads(2);
    network.initialize(1);
    Batch batch = Batches.random(network.spec(), 64, 3);
    Runnable steps =
        () -> {
          for (int k = 0; k < 300; k++) {
            network.lossAndGradient(batch);
            network.sgdStep(1e-9);
          }
        };
    steps.run(); // warm up: class loading and JIT compilation allocate, the steps do not
    steps.run();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    steps.run();
    long bytes = threads.getThreadAllocatedBytes(thread) - before;
    ((DataParallel) network).setThreads(1);
    assertWithMessage("bytes allocated by 300 split steps on two threads").that(bytes).isEqualTo(0);
  }
}
