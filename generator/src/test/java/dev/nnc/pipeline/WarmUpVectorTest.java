package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.runtime.kernels.Kernels;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link WarmUpTest} on a JVM with the Vector API kernels (the surefire execution {@code vector}):
 * their tiles' scratch arrays and the float sigmoid's are per thread, so a warm-up beside training
 * still changes no bit.
 */
class WarmUpVectorTest extends WarmUpTest {
  @BeforeAll
  static void theVectorKernelsRun() {
    assertWithMessage(Kernels.INSTANCE.description()).that(Kernels.INSTANCE.vectorized()).isTrue();
  }
}
