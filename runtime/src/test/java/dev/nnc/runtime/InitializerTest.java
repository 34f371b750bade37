package dev.nnc.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitializerTest {
  private static final int ROWS = 200;
  private static final int COLS = 100;

  @Test
  void uniformCoversItsRangeWithTheRightMoments() {
    double[] values = draw(InitSpec.uniform(-0.12, 0.12));
    assertThat(Arrays.stream(values).min().getAsDouble()).isAtLeast(-0.12);
    assertThat(Arrays.stream(values).max().getAsDouble()).isLessThan(0.12);
    // 20,000 draws: the standard error of the mean is 0.069/√20000 ≈ 5e-4.
    assertThat(mean(values)).isWithin(2.5e-3).of(0);
    assertThat(std(values)).isWithin(2e-3).of(0.24 / Math.sqrt(12));
  }

  @Test
  void normalHasTheMeanAndStdAsked() {
    double[] values = draw(InitSpec.normal(0.5, 2));
    assertThat(mean(values)).isWithin(0.06).of(0.5);
    assertThat(std(values)).isWithin(0.05).of(2);
  }

  @Test
  void xavierIsUniformWithinTheGlorotLimit() {
    double limit = Math.sqrt(6.0 / (ROWS + COLS));
    double[] values = draw(InitSpec.xavier());
    assertThat(Arrays.stream(values).map(Math::abs).max().getAsDouble()).isAtMost(limit);
    assertThat(Arrays.stream(values).map(Math::abs).max().getAsDouble())
        .isGreaterThan(0.99 * limit);
    assertThat(std(values)).isWithin(0.02 * limit).of(limit / Math.sqrt(3));
  }

  @Test
  void heIsNormalWithStdFromFanIn() {
    double[] values = draw(InitSpec.he());
    assertThat(mean(values)).isWithin(0.003).of(0);
    assertThat(std(values)).isWithin(0.02 * Math.sqrt(2.0 / ROWS)).of(Math.sqrt(2.0 / ROWS));
  }

  @Test
  void constantAndValuesAreExact() {
    assertThat(draw(InitSpec.constant(0.25)))
        .usingExactEquality()
        .containsExactlyElementsIn(
            Arrays.stream(new double[ROWS * COLS]).map(v -> 0.25).boxed().toList());
    TensorSpec w = new TensorSpec("l.W", "l", 1, 2, 3, 0, true, InitSpec.values(1, 2, 3, 4, 5, 6));
    TensorSpec b = new TensorSpec("l.b", "l", 1, 1, 3, 6, false, InitSpec.values(-1, -2, -3));
    double[] flat = Initializer.initialize(spec(List.of(w, b), 9), 99);
    assertThat(flat).usingExactEquality().containsExactly(1, 2, 3, 4, 5, 6, -1, -2, -3).inOrder();
  }

  @Test
  void valuesOfTheWrongCountNameTheTensor() {
    TensorSpec w = new TensorSpec("l.W", "l", 1, 2, 3, 0, true, InitSpec.values(1, 2));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Initializer.initialize(spec(List.of(w), 6), 0));
    assertThat(e).hasMessageThat().isEqualTo("l.W: 2 initial values for 6 entries");
  }

  @Test
  void tensorsDrawInOrderFromOneSeededStream() {
    TensorSpec first = new TensorSpec("a.W", "a", 1, 2, 2, 0, true, InitSpec.uniform(0, 1));
    TensorSpec second = new TensorSpec("a.b", "a", 1, 1, 2, 4, false, InitSpec.uniform(0, 1));
    double[] flat = Initializer.initialize(spec(List.of(first, second), 6), 5);
    Rng rng = new Rng(5);
    for (double value : flat) {
      assertThat(value).isEqualTo(rng.nextDouble());
    }
    assertThat(Initializer.initialize(spec(List.of(first, second), 6), 5)).isEqualTo(flat);
    assertThat(Initializer.initialize(spec(List.of(first, second), 6), 6)).isNotEqualTo(flat);
  }

  private static double[] draw(InitSpec init) {
    TensorSpec tensor = new TensorSpec("big.W", "big", 1, ROWS, COLS, 0, true, init);
    return Initializer.initialize(spec(List.of(tensor), ROWS * COLS), 2024);
  }

  private static NetworkSpec spec(List<TensorSpec> tensors, int count) {
    return new NetworkSpec(
        "Init",
        "init.nn",
        NetworkSpec.Precision.DOUBLE,
        "x",
        1,
        new int[0],
        1,
        -1,
        1,
        "y",
        NetworkSpec.TargetKind.DENSE,
        1,
        -1,
        new ArrayList<>(tensors),
        count);
  }

  private static double mean(double[] values) {
    return Arrays.stream(values).average().orElseThrow();
  }

  private static double std(double[] values) {
    double mean = mean(values);
    return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length);
  }
}
