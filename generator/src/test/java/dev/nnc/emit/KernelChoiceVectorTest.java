package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.kernels.Kernels;
import org.junit.jupiter.api.Test;

/**
 * Runs in the surefire execution {@code vector} (JVM flag {@code --add-modules
 * jdk.incubator.vector}), beside GeneratedVsReferenceTest, GeneratedOracleTest, ZeroAllocationTest
 * and DataParallelTest: it checks that the generated networks there really run on the Vector API
 * kernels, so those tests hold for that path too (the kernels are bit-identical to the plain ones,
 * so the tolerances are unchanged).
 */
class KernelChoiceVectorTest {
  @Test
  void theGeneratedNetworksRunOnTheVectorApiKernels() {
    assertThat(Kernels.INSTANCE.vectorized()).isTrue();
    assertThat(Kernels.INSTANCE.description()).startsWith("Vector API");
  }
}
