package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.InitSpec;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Oracle;
import dev.nnc.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {
  @TempDir Path temp;

  /** S6: x = 1..5, y = x², features [x, x²]. */
  private static final Dataset S6 =
      new Dataset(
          "s6", 5, 1, new double[] {1, 2, 3, 4, 5}, 1, new double[] {1, 4, 9, 16, 25}, null);

  @Test
  void s6WithUnbiasedStdMatchesHandComputedValues() {
    Preprocessing preprocessing = Preprocessing.fit(s6Spec(1), S6);
    // Column x: mean 3, squared deviations 4+1+0+1+4 = 10, std √(10/4).
    // Column x²: mean 55/5 = 11, deviations −10, −7, −2, 5, 14 → 374, std √(374/4).
    double stdX = Math.sqrt(2.5);
    double stdX2 = Math.sqrt(93.5);
    assertThat(preprocessing.inputMeans()).usingTolerance(1e-15).containsExactly(3, 11).inOrder();
    assertThat(preprocessing.inputStds())
        .usingTolerance(1e-15)
        .containsExactly(stdX, stdX2)
        .inOrder();
    assertThat(preprocessing.targetMeans()).usingTolerance(1e-15).containsExactly(11);
    assertThat(preprocessing.targetStds()).usingTolerance(1e-15).containsExactly(stdX2);

    Dataset ready = preprocessing.apply(S6);
    assertThat(ready.inputWidth()).isEqualTo(2);
    double[] expectedX = new double[10];
    double[] expectedY = new double[5];
    for (int r = 0; r < 5; r++) {
      double x = r + 1;
      expectedX[2 * r] = (x - 3) / stdX;
      expectedX[2 * r + 1] = (x * x - 11) / stdX2;
      expectedY[r] = (x * x - 11) / stdX2;
    }
    assertThat(ready.x()).usingTolerance(1e-15).containsExactly(expectedX).inOrder();
    assertThat(ready.targets()).usingTolerance(1e-15).containsExactly(expectedY).inOrder();
    assertThat(ready.x()[0]).isWithin(1e-12).of(-1.2649110640673518); // −2/√2.5
    // The raw dataset is untouched.
    assertThat(S6.x()).usingExactEquality().containsExactly(1, 2, 3, 4, 5).inOrder();
  }

  @Test
  void populationStdReproducesTheS6Oracle() {
    Map<String, NpyArray> init = Oracle.read("S6_init.npz");
    double[] rawX = init.get("x_raw").data();
    double[] rawY = new double[rawX.length];
    for (int i = 0; i < rawX.length; i++) {
      rawY[i] = rawX[i] * rawX[i];
    }
    Dataset raw = new Dataset("s6", rawX.length, 1, rawX, 1, rawY, null);
    Dataset ready = Preprocessing.fit(s6Spec(0), raw).apply(raw);
    assertThat(ready.x()).usingTolerance(1e-14).containsExactly(init.get("X").data()).inOrder();
    assertThat(ready.targets())
        .usingTolerance(1e-14)
        .containsExactly(init.get("Y").data())
        .inOrder();
  }

  @Test
  void powersGoRawColumnByRawColumn() {
    NetworkSpec spec = spec(2, new int[] {1, 2, 3}, -1, -1, NetworkSpec.TargetKind.LABELS, 3);
    Dataset raw = new Dataset("two", 2, 2, new double[] {2, 3, -1, 0.5}, 3, null, new int[] {2, 0});
    Preprocessing preprocessing = Preprocessing.fit(spec, raw);
    Dataset ready = preprocessing.apply(raw);
    assertThat(ready.x())
        .usingExactEquality()
        .containsExactly(2, 4, 8, 3, 9, 27, -1, 1, -1, 0.5, 0.25, 0.125)
        .inOrder();
    assertThat(ready.labels()).asList().containsExactly(2, 0).inOrder();
    assertThat(preprocessing.stats()).isEmpty();
    assertThat(preprocessing.standardizesInputs()).isFalse();
  }

  @Test
  void nothingToTransformKeepsTheRowsWithoutACopy() {
    // no powers, no standardisation (MNIST's case): the dataset itself, not a 50 MB copy
    NetworkSpec spec = spec(2, new int[0], -1, -1, NetworkSpec.TargetKind.LABELS, 3);
    Dataset raw = new Dataset("two", 2, 2, new double[] {2, 3, -1, 0.5}, 3, null, new int[] {2, 0});
    Preprocessing preprocessing = Preprocessing.fit(spec, raw);
    assertThat(preprocessing.apply(raw)).isSameInstanceAs(raw);
    assertThat(preprocessing.stats()).isEmpty();
    // dense targets standardised, inputs not: a new dataset whose targets changed, raw untouched
    NetworkSpec dense = spec(1, new int[0], -1, 0, NetworkSpec.TargetKind.DENSE, 1);
    Dataset rows = new Dataset("d", 2, 1, new double[] {1, 2}, 1, new double[] {1, 3}, null);
    Dataset ready = Preprocessing.fit(dense, rows).apply(rows);
    assertThat(ready).isNotSameInstanceAs(rows);
    assertThat(ready.targets()).usingExactEquality().containsExactly(-1, 1).inOrder();
    assertThat(rows.targets()).usingExactEquality().containsExactly(1, 3).inOrder();
  }

  @Test
  void statsRoundTripThroughAnNpzFile() throws IOException {
    NetworkSpec spec = s6Spec(1);
    Preprocessing fitted = Preprocessing.fit(spec, S6);
    assertThat(fitted.stats().keySet())
        .containsExactly("x.mean", "x.std", "y.mean", "y.std")
        .inOrder();
    assertThat(fitted.stats().get("x.std").shape()).asList().containsExactly(2);

    Path file = temp.resolve("stats.npz");
    Npz.write(file, fitted.stats());
    Preprocessing restored = Preprocessing.fromStats(spec, Npz.read(file));
    assertThat(restored.apply(S6)).isNotNull();
    assertThat(restored.apply(S6).x()).isEqualTo(fitted.apply(S6).x());
    assertThat(restored.apply(S6).targets()).isEqualTo(fitted.apply(S6).targets());

    DataFormatException missing =
        assertThrows(
            DataFormatException.class,
            () ->
                Preprocessing.fromStats(
                    spec, Map.of("x.mean", NpyArray.ofDoubles(new double[2], 2))));
    assertThat(missing).hasMessageThat().contains("missing array 'x.std'");
  }

  @Test
  void inverseTargetsUndoesStandardisation() {
    Preprocessing preprocessing = Preprocessing.fit(s6Spec(1), S6);
    double[] standardized = preprocessing.apply(S6).targets();
    assertThat(preprocessing.inverseTargets(standardized))
        .usingTolerance(1e-12)
        .containsExactly(1, 4, 9, 16, 25)
        .inOrder();
    // A prediction of 0 in standardised units is the mean.
    assertThat(preprocessing.inverseTargets(new double[] {0}))
        .usingTolerance(1e-15)
        .containsExactly(11);
  }

  @Test
  void transformInputsPreparesNewRowsLikeTheTrainingSet() {
    Preprocessing preprocessing = Preprocessing.fit(s6Spec(1), S6);
    assertThat(preprocessing.transformInputs(new double[] {6}, 1))
        .usingTolerance(1e-15)
        .containsExactly(3 / Math.sqrt(2.5), 25 / Math.sqrt(93.5))
        .inOrder();
  }

  @Test
  void constantColumnsGetStdOne() {
    NetworkSpec spec = spec(2, new int[0], 0, 0, NetworkSpec.TargetKind.DENSE, 1);
    Dataset raw =
        new Dataset("c", 3, 2, new double[] {7, 1, 7, 2, 7, 3}, 1, new double[] {4, 4, 4}, null);
    Preprocessing preprocessing = Preprocessing.fit(spec, raw);
    assertThat(preprocessing.inputStds()[0]).isEqualTo(1.0);
    assertThat(preprocessing.targetStds()[0]).isEqualTo(1.0);
    Dataset ready = preprocessing.apply(raw);
    assertThat(ready.x()[0]).isEqualTo(0.0);
    assertThat(ready.targets()).usingExactEquality().containsExactly(0, 0, 0);
  }

  @Test
  void rejectsDataOfTheWrongShape() {
    Dataset wide = new Dataset("wide.csv", 1, 2, new double[] {1, 2}, 1, new double[] {1}, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.fit(s6Spec(1), wide));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("wide.csv: 2 input columns, network S6 reads 1 raw column of x");
    Dataset one = new Dataset("one", 1, 1, new double[] {1}, 1, new double[] {1}, null);
    assertThat(
            assertThrows(IllegalArgumentException.class, () -> Preprocessing.fit(s6Spec(1), one)))
        .hasMessageThat()
        .contains("needs more than 1 rows, got 1");
  }

  private static NetworkSpec s6Spec(int ddof) {
    return spec(1, new int[] {1, 2}, ddof, ddof, NetworkSpec.TargetKind.DENSE, 1);
  }

  private static NetworkSpec spec(
      int rawWidth,
      int[] powers,
      int inputDdof,
      int targetDdof,
      NetworkSpec.TargetKind kind,
      int targetWidth) {
    int width = rawWidth * Math.max(1, powers.length);
    int outputs = targetWidth;
    TensorSpec w = new TensorSpec("out.W", "out", 3, width, outputs, 0, true, InitSpec.constant(0));
    return new NetworkSpec(
        "S6",
        "s6.nn",
        NetworkSpec.Precision.DOUBLE,
        "x",
        rawWidth,
        powers,
        width,
        inputDdof,
        outputs,
        "y",
        kind,
        targetWidth,
        targetDdof,
        List.of(w),
        width * outputs);
  }
}
