package dev.nnc.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * A float batch's rows are the data's doubles rounded to float once, in one pass from doubles or
 * from an image's bytes: the numbers a float network would convert the same doubles to.
 */
class FloatBatchTest {
  private static final NetworkSpec SPEC = new LinearNetwork(3, 2, 4).spec();

  @Test
  void aFloatBatchHoldsFloatRowsAndNoDoubles() {
    Batch batch = Batch.forSpecInFloat(SPEC, 4);
    assertThat(batch.floatInputs()).isTrue();
    assertThat(batch.x).isNull();
    assertThat(batch.floatRows).hasLength(4);
    assertThat(batch.floatRows[3]).hasLength(3);
    assertThat(batch.rows()).isEqualTo(4);
    batch.setRows(2);
    assertThat(batch.rows()).isEqualTo(2);
    assertThrows(IllegalArgumentException.class, () -> batch.setRows(5));
    assertThat(Batch.forSpec(SPEC, 4).floatInputs()).isFalse();
  }

  @Test
  void setInputsRoundsTheDatasDoublesFromDoublesAndFromBytes() {
    int rows = 256;
    byte[] codes = new byte[rows * 3];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) (i * 7);
    }
    double scale = 1 / 255.0;
    Dataset bytes = Dataset.ofBytes("b", rows, 3, codes, scale, 2, new double[rows * 2], null);
    Dataset doubles = new Dataset("d", rows, 3, bytes.x().clone(), 2, new double[rows * 2], null);
    for (Dataset data : new Dataset[] {bytes, doubles}) {
      Batch floats = Batch.forSpecInFloat(SPEC, 2);
      Batch plain = Batch.forSpec(SPEC, 2);
      for (int row = 0; row < rows; row++) {
        floats.setInputs(1, data, row);
        plain.setInputs(1, data, row);
        for (int c = 0; c < 3; c++) {
          assertThat(floats.floatRows[1][c]).isEqualTo((float) data.x()[row * 3 + c]);
          assertThat(plain.x[3 + c]).isEqualTo(data.x()[row * 3 + c]);
        }
      }
    }
  }

  @Test
  void copyFromRoundsADoubleBatchAndKeepsTheTargets() {
    Batch batch = Batch.random(SPEC, 4, 3);
    batch.setRows(3);
    Batch floats = Batch.forSpecInFloat(SPEC, 5);
    floats.copyFrom(batch);
    assertThat(floats.rows()).isEqualTo(3);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        assertThat(floats.floatRows[r][c]).isEqualTo((float) batch.x[r * 3 + c]);
      }
    }
    for (int i = 0; i < 3 * 2; i++) {
      assertThat(floats.targets[i]).isEqualTo(batch.targets[i]);
    }
    Batch again = Batch.forSpecInFloat(SPEC, 3);
    again.copyFrom(floats);
    assertThat(again.floatRows[2]).isEqualTo(floats.floatRows[2]);
    Batch doubles = Batch.forSpec(SPEC, 4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> doubles.copyFrom(floats));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("a batch of 3 float rows × 3 does not fit a batch of 4 rows × 3");
  }

  @Test
  void aFixedCopyOfAFloatBatchIsAFloatBatchThatIgnoresLaterWrites() {
    Batch floats = Batch.forSpecInFloat(SPEC, 2);
    floats.copyFrom(Batch.random(SPEC, 2, 4));
    FixedBatch fixed = FixedBatch.copyOf(floats);
    float first = floats.floatRows[1][2];
    floats.floatRows[1][2] = 42;
    assertThat(fixed.rows.floatInputs()).isTrue();
    assertThat(fixed.input(1, 2)).isEqualTo((double) first);
    assertThat(fixed.target(1, 1)).isEqualTo(floats.targets[3]);
  }
}
