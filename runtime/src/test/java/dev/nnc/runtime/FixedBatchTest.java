package dev.nnc.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A fixed batch is a copy: what is written into its source afterwards does not reach it. */
class FixedBatchTest {
  @Test
  void copiesTheRowsInputsAndTargetsAndIgnoresLaterWrites() {
    Batch batch = new Batch(5, 3, 2, false);
    for (int i = 0; i < batch.x.length; i++) {
      batch.x[i] = i + 0.5;
    }
    for (int i = 0; i < batch.targets.length; i++) {
      batch.targets[i] = -i;
    }
    batch.setRows(4);
    FixedBatch fixed = FixedBatch.copyOf(batch);
    assertThat(fixed.rows()).isEqualTo(4);
    assertThat(fixed.inputWidth()).isEqualTo(3);
    assertThat(fixed.targetWidth()).isEqualTo(2);
    assertThat(fixed.hasLabels()).isFalse();
    assertThat(fixed.holds(batch)).isFalse();
    assertThat(fixed.holds(fixed.rows)).isTrue();
    assertThat(fixed.rows.x).hasLength(12); // the rows only, not the capacity

    java.util.Arrays.fill(batch.x, 9.0);
    java.util.Arrays.fill(batch.targets, 9.0);
    batch.setRows(5);
    assertThat(fixed.rows()).isEqualTo(4);
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 3; c++) {
        assertThat(fixed.input(r, c)).isEqualTo(r * 3 + c + 0.5);
      }
      for (int c = 0; c < 2; c++) {
        assertThat(fixed.target(r, c)).isEqualTo(-(r * 2 + c));
      }
    }
    assertThrows(IndexOutOfBoundsException.class, () -> fixed.input(4, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> fixed.target(0, 2));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> fixed.label(0));
    assertThat(e).hasMessageThat().isEqualTo("a batch of dense targets has no class labels");
  }

  @Test
  void ofDataHoldsEveryRowAndRefusesDataThatDoesNotFit() {
    LinearNetwork network = new LinearNetwork(2, 1, 3);
    dev.nnc.runtime.data.Dataset data =
        new dev.nnc.runtime.data.Dataset(
            "d", 3, 2, new double[] {1, 2, 3, 4, 5, 6}, 1, new double[] {7, 8, 9}, null);
    FixedBatch fixed = FixedBatch.of(network.spec(), data);
    assertThat(fixed.rows()).isEqualTo(3);
    assertThat(fixed.rows.x).usingExactEquality().containsExactly(1, 2, 3, 4, 5, 6).inOrder();
    assertThat(fixed.rows.targets).usingExactEquality().containsExactly(7, 8, 9).inOrder();
    network.setParameters(new double[] {0.5, -0.25, 0.125});
    double loss = network.loss(Batch.of(network.spec(), data));
    assertThat(network.loss(fixed)).isEqualTo(loss);
    data.x()[0] = 100; // the data's own arrays are not shared
    assertThat(fixed.input(0, 0)).isEqualTo(1.0);
    assertThat(network.loss(fixed)).isEqualTo(loss);
    dev.nnc.runtime.data.Dataset wide =
        new dev.nnc.runtime.data.Dataset(
            "w", 1, 3, new double[] {1, 2, 3}, 1, new double[] {0}, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FixedBatch.of(network.spec(), wide));
    assertThat(e).hasMessageThat().startsWith("w: 3 input columns, network Linear takes 2");
  }

  @Test
  void copiesLabels() {
    Batch batch = new Batch(3, 2, 4, true);
    batch.labels[0] = 3;
    batch.labels[1] = 1;
    batch.labels[2] = 2;
    FixedBatch fixed = FixedBatch.copyOf(batch);
    batch.labels[1] = 0;
    assertThat(fixed.hasLabels()).isTrue();
    assertThat(fixed.label(0)).isEqualTo(3);
    assertThat(fixed.label(1)).isEqualTo(1);
    assertThat(fixed.label(2)).isEqualTo(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> fixed.target(0, 0));
    assertThat(e).hasMessageThat().isEqualTo("a batch of class labels has no dense targets");
  }
}
