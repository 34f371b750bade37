package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

/** When {@link WarmUp#start} starts its thread: only with a processor to spare. */
class WarmUpGateTest {
  @Test
  void onlyWithAnIdleProcessor() {
    assertThat(WarmUp.idleProcessor(0.05, 2)).isTrue();
    assertThat(WarmUp.idleProcessor(1.0, 2)).isTrue();
    assertThat(WarmUp.idleProcessor(1.2, 2)).isFalse();
    assertThat(WarmUp.idleProcessor(15.0, 2)).isFalse();
    assertThat(WarmUp.idleProcessor(2.5, 4)).isTrue();
    assertThat(WarmUp.idleProcessor(0.0, 1)).isFalse(); // a single processor: never
    assertThat(WarmUp.idleProcessor(Double.NaN, 2)).isTrue(); // no load average: start it
    assertThat(WarmUp.idleProcessor(Double.NaN, 1)).isFalse();
  }

  @Test
  void theLoadAverageIsReadWhereTheSystemHasOne() {
    double load = WarmUp.loadAverage();
    if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/loadavg"))) {
      assertThat(load).isAtLeast(0.0);
    } else {
      assertThat(load).isNaN();
    }
  }
}
