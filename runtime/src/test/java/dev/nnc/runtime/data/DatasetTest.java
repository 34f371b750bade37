package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import org.junit.jupiter.api.Test;

/**
 * Inputs held as bytes and a scale ({@link Dataset#ofBytes}) against the same inputs as doubles.
 */
class DatasetTest {
  /** Every byte value, then random ones: 3 rows of 100. */
  private static byte[] codes() {
    byte[] codes = new byte[300];
    Rng rng = new Rng(7);
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) (i < 256 ? i : rng.nextInt(256));
    }
    return codes;
  }

  @Test
  void bytesDecodeToTheScaledValuesOfIdxTable() {
    for (double scale : new double[] {1 / 255.0, 0.5, -0.37, 3e-300, 1e300}) {
      byte[] codes = codes();
      Dataset data = Dataset.ofBytes("b", 3, 100, codes, scale, 2, null, new int[3]);
      double[] x = data.x();
      assertThat(x).hasLength(300);
      for (int i = 0; i < x.length; i++) {
        // Idx's table: scaled[v] = v * scale, v an int
        int v = codes[i] & 0xff;
        double expected = v * scale;
        assertThat(Double.doubleToRawLongBits(x[i]))
            .isEqualTo(Double.doubleToRawLongBits(expected));
      }
      assertThat(data.x()).isSameInstanceAs(x); // decoded once
    }
  }

  @Test
  void copyInputsGivesTheSameBitsAsXWithoutDecodingIt() {
    byte[] codes = codes();
    Dataset coded = Dataset.ofBytes("b", 3, 100, codes, 1 / 255.0, 2, null, new int[3]);
    double[] into = new double[250];
    coded.copyInputs(1, 2, into, 50);
    assertThat(coded.decoded()).isFalse();
    Dataset plain = new Dataset("p", 3, 100, coded.x().clone(), 2, null, new int[3]);
    double[] expected = new double[250];
    plain.copyInputs(1, 2, expected, 50);
    assertThat(into).usingExactEquality().containsExactly(expected).inOrder();
    for (int i = 0; i < 200; i++) {
      assertThat(expected[50 + i]).isEqualTo(plain.x()[100 + i]);
    }
    assertThat(expected[49]).isEqualTo(0.0);
    assertThrows(IndexOutOfBoundsException.class, () -> coded.copyInputs(2, 2, into, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> coded.copyInputs(0, 3, into, 0));
  }

  @Test
  void finiteScaleNeedsNoCheckAndAnInfiniteOneIsReportedAsBefore() {
    Dataset coded = Dataset.ofBytes("b", 3, 100, codes(), 1 / 255.0, 2, null, new int[3]);
    assertThat(coded.inputsFiniteByConstruction()).isTrue();
    assertThat(Datasets.checkFinite(coded)).isSameInstanceAs(coded);
    assertThat(coded.decoded()).isFalse();

    // 2 × MAX_VALUE overflows: byte 2 is at record 0, input 2
    Dataset huge =
        Dataset.ofBytes("huge.idx", 3, 100, codes(), Double.MAX_VALUE, 2, null, new int[3]);
    assertThat(huge.inputsFiniteByConstruction()).isFalse();
    Dataset same = new Dataset("huge.idx", 3, 100, huge.x().clone(), 2, null, new int[3]);
    DataFormatException coded1 =
        assertThrows(DataFormatException.class, () -> Datasets.checkFinite(huge));
    DataFormatException plain1 =
        assertThrows(DataFormatException.class, () -> Datasets.checkFinite(same));
    assertThat(coded1).hasMessageThat().isEqualTo(plain1.getMessage());
    assertThat(coded1).hasMessageThat().contains("record 0, input 2");
    assertThat(
            Dataset.ofBytes("n", 1, 1, new byte[1], Double.NaN, 1, null, new int[1])
                .inputsFiniteByConstruction())
        .isFalse();
  }

  @Test
  void preprocessingWithoutStatisticsLeavesTheBytesAsTheyAre() {
    // no standardisation, no powers: fit and apply read no input, and apply returns the data
    NetworkSpec spec = LinearNetwork.spec(100, 2, NetworkSpec.Precision.DOUBLE);
    Dataset coded = Dataset.ofBytes("b", 3, 100, codes(), 1 / 255.0, 2, new double[6], null);
    Preprocessing preprocessing = Preprocessing.fit(spec, coded);
    assertThat(preprocessing.apply(coded)).isSameInstanceAs(coded);
    assertThat(coded.decoded()).isFalse();
    assertThat(coded.x()).hasLength(300);
    assertThat(coded.decoded()).isTrue();
  }

  @Test
  void equalityIsARecordsAndSizesAreChecked() {
    byte[] codes = codes();
    int[] labels = new int[3];
    Dataset a = Dataset.ofBytes("b", 3, 100, codes, 0.5, 2, null, labels);
    assertThat(a).isEqualTo(Dataset.ofBytes("b", 3, 100, codes, 0.5, 2, null, labels));
    assertThat(a.hashCode())
        .isEqualTo(Dataset.ofBytes("b", 3, 100, codes, 0.5, 2, null, labels).hashCode());
    assertThat(a).isNotEqualTo(Dataset.ofBytes("b", 3, 100, codes, 0.25, 2, null, labels));
    assertThat(a).isNotEqualTo(Dataset.ofBytes("b", 3, 100, codes(), 0.5, 2, null, labels));
    assertThat(a).isNotEqualTo(new Dataset("b", 3, 100, a.x(), 2, null, labels));
    double[] x = new double[300];
    assertThat(new Dataset("p", 3, 100, x, 2, null, labels))
        .isEqualTo(new Dataset("p", 3, 100, x, 2, null, labels));
    IllegalArgumentException wrong =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dataset.ofBytes("short.idx", 4, 100, codes, 0.5, 2, null, new int[4]));
    assertThat(wrong).hasMessageThat().isEqualTo("short.idx: 300 input values for 4 rows");
  }
}
