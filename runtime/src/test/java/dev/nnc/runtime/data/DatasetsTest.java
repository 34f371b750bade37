package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetsTest {
  /** 4 rows, 2 inputs (row r is (r, 10 + r)), labels 2, 0, 1, 2. */
  private static final Dataset LABELLED =
      new Dataset(
          "d.csv",
          4,
          2,
          new double[] {0, 10, 1, 11, 2, 12, 3, 13},
          3,
          null,
          new int[] {2, 0, 1, 2});

  @Test
  void oneHotRows() {
    assertThat(Datasets.oneHot(new int[] {2, 0}, 3))
        .usingExactEquality()
        .containsExactly(0, 0, 1, 1, 0, 0)
        .inOrder();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Datasets.oneHot(new int[] {1, 3}, 3));
    assertThat(e).hasMessageThat().isEqualTo("label 3 in row 1 is outside 0..2");
    Dataset dense = Datasets.oneHot(LABELLED, 3);
    assertThat(dense.hasLabels()).isFalse();
    assertThat(dense.targetWidth()).isEqualTo(3);
    assertThat(dense.targets())
        .usingExactEquality()
        .containsExactly(0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1)
        .inOrder();
  }

  @Test
  void headRowsAndSplit() {
    Dataset head = Datasets.head(LABELLED, 2);
    assertThat(head.x()).usingExactEquality().containsExactly(0, 10, 1, 11).inOrder();
    assertThat(head.labels()).asList().containsExactly(2, 0).inOrder();
    assertThat(Datasets.head(LABELLED, 99).rows()).isEqualTo(4);

    Dataset picked = Datasets.rows(LABELLED, new int[] {3, 0, 3});
    assertThat(picked.x()).usingExactEquality().containsExactly(3, 13, 0, 10, 3, 13).inOrder();
    assertThat(picked.labels()).asList().containsExactly(2, 2, 2).inOrder();
    assertThat(picked.source()).isEqualTo("d.csv");
    assertThrows(IllegalArgumentException.class, () -> Datasets.rows(LABELLED, new int[] {4}));

    Datasets.Split split = Datasets.split(Datasets.oneHot(LABELLED, 3), 3);
    assertThat(split.first().rows()).isEqualTo(3);
    assertThat(split.rest().rows()).isEqualTo(1);
    assertThat(split.rest().x()).usingExactEquality().containsExactly(3, 13).inOrder();
    assertThat(split.rest().targets()).usingExactEquality().containsExactly(0, 0, 1).inOrder();
    assertThrows(IllegalArgumentException.class, () -> Datasets.split(LABELLED, 5));
  }

  @Test
  void checkFiniteNamesSourceRecordAndField() {
    Dataset bad =
        new Dataset(
            "x.csv", 2, 2, new double[] {1, 2, 3, Double.NaN}, 1, new double[] {0, 1}, null);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> Datasets.checkFinite(bad));
    assertThat(e).hasMessageThat().isEqualTo("x.csv: record 1, input 1: NaN is not finite");
    Dataset badTarget =
        new Dataset(
            "y.csv",
            2,
            1,
            new double[] {1, 2},
            1,
            new double[] {0, Double.NEGATIVE_INFINITY},
            null);
    e = assertThrows(DataFormatException.class, () -> Datasets.checkFinite(badTarget));
    assertThat(e).hasMessageThat().isEqualTo("y.csv: record 1, target 0: -Infinity is not finite");
    assertThat(Datasets.checkFinite(LABELLED)).isSameInstanceAs(LABELLED);
  }

  @Test
  void fromNpzWithLabelsAndWithDenseTargets() {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("X", NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
    arrays.put("y", NpyArray.ofInts(new int[] {1, 0, 4}, 3));
    arrays.put("Y", NpyArray.ofDoubles(new double[] {0.5, -1, 2}, 3, 1));
    Dataset labelled = Datasets.fromNpz(arrays, "data.npz", "X", "y", true);
    assertThat(labelled.rows()).isEqualTo(3);
    assertThat(labelled.inputWidth()).isEqualTo(2);
    assertThat(labelled.labels()).asList().containsExactly(1, 0, 4).inOrder();
    assertThat(labelled.targetWidth()).isEqualTo(5);
    Dataset dense = Datasets.fromNpz(arrays, "data.npz", "X", "Y", false);
    assertThat(dense.targets()).usingExactEquality().containsExactly(0.5, -1, 2).inOrder();
    assertThat(dense.source()).isEqualTo("data.npz");
    // A 1-D dense target is one column.
    assertThat(Datasets.fromNpz(arrays, "data.npz", "X", "y", false).targetWidth()).isEqualTo(1);
  }

  @Test
  void fromNpzNamesTheMemberInEveryError() {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("X", NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5}, 5));
    arrays.put("X2", NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5, Double.NaN}, 3, 2));
    arrays.put("y", NpyArray.ofDoubles(new double[] {1, 2}, 2));
    arrays.put("y3", NpyArray.ofDoubles(new double[] {1, -2, 0}, 3));
    arrays.put("Y", NpyArray.ofDoubles(new double[] {1, 2, 3}, 3, 1));
    assertThat(message(arrays, "X", "y", true))
        .isEqualTo("weights.npz: member 'X': shape (5,), expected 2 dimensions");
    assertThat(message(arrays, "X2", "y", true))
        .isEqualTo("weights.npz: member 'y' has 2 rows, member 'X2' has 3");
    assertThat(message(arrays, "X2", "Y", true))
        .isEqualTo("weights.npz: member 'Y': shape (3, 1), expected 1 dimension (labels)");
    assertThat(message(arrays, "X2", "y3", false))
        .isEqualTo("weights.npz: member 'X2': record 2, input 1: NaN is not finite");
    arrays.put("X2", NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
    assertThat(message(arrays, "X2", "y3", true))
        .isEqualTo(
            "weights.npz: member 'y3': record 1: -2.0 is not a label (a non-negative integer)");
    assertThat(message(arrays, "X2", "missing", true))
        .isEqualTo("weights.npz: no member 'missing' (members: X, X2, y, y3, Y)");
  }

  private static String message(
      Map<String, NpyArray> arrays, String input, String target, boolean labels) {
    return assertThrows(
            DataFormatException.class,
            () -> Datasets.fromNpz(arrays, "weights.npz", input, target, labels))
        .getMessage();
  }
}
