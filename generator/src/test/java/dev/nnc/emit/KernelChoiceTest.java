package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.kernels.Kernels;
import org.junit.jupiter.api.Test;

/** Without {@code --add-modules jdk.incubator.vector} the generated networks use plain Java. */
class KernelChoiceTest {
  @Test
  void withoutTheFlagTheGeneratedNetworksRunOnPlainJava() {
    assertThat(Kernels.INSTANCE.vectorized()).isFalse();
  }
}
