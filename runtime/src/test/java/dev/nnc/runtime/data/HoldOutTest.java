package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HoldOutTest {
  /** 100 rows, x = the row's index; 70 of class 0, 20 of class 1, 10 of class 2. */
  private static Dataset labelled() {
    double[] x = new double[100];
    int[] labels = new int[100];
    for (int r = 0; r < 100; r++) {
      x[r] = r;
      labels[r] = r < 70 ? 0 : r < 90 ? 1 : 2;
    }
    return new Dataset("l", 100, 1, x, 3, null, labels);
  }

  private static int count(int[] labels, int label) {
    return (int) Arrays.stream(labels).filter(l -> l == label).count();
  }

  @Test
  void eachClassGivesItsShareAndBothPartsKeepTheRowOrder() {
    Datasets.Split split = Datasets.holdOut(labelled(), 0.2, 7);
    Dataset training = split.first();
    Dataset validation = split.rest();
    assertThat(validation.rows()).isEqualTo(20);
    assertThat(training.rows()).isEqualTo(80);
    assertThat(count(validation.labels(), 0)).isEqualTo(14);
    assertThat(count(validation.labels(), 1)).isEqualTo(4);
    assertThat(count(validation.labels(), 2)).isEqualTo(2);
    for (Dataset part : new Dataset[] {training, validation}) {
      for (int r = 1; r < part.rows(); r++) {
        assertThat(part.x()[r]).isGreaterThan(part.x()[r - 1]);
      }
    }
    // every row lands in exactly one part
    double[] all = new double[100];
    System.arraycopy(training.x(), 0, all, 0, 80);
    System.arraycopy(validation.x(), 0, all, 80, 20);
    Arrays.sort(all);
    for (int r = 0; r < 100; r++) {
      assertThat(all[r]).isEqualTo(r);
    }
  }

  @Test
  void theSeedChoosesTheRowsReproducibly() {
    double[] first = Datasets.holdOut(labelled(), 0.2, 7).rest().x();
    assertThat(Datasets.holdOut(labelled(), 0.2, 7).rest().x()).isEqualTo(first);
    assertThat(Datasets.holdOut(labelled(), 0.2, 8).rest().x()).isNotEqualTo(first);
  }

  @Test
  void denseTargetsSplitByRowsAndTooFewRowsAreRefused() {
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] y = {1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    Datasets.Split split = Datasets.holdOut(new Dataset("d", 10, 1, x, 1, y, null), 0.3, 1);
    assertThat(split.rest().rows()).isEqualTo(3);
    Dataset one = new Dataset("one.csv", 1, 1, new double[] {1}, 1, new double[] {2}, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Datasets.holdOut(one, 0.2, 1));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("one.csv: 1 rows cannot be split 80/20: one part would have no rows");
  }
}
