package dev.nnc.runtime.train;

import java.util.Arrays;

/**
 * The test oracle for {@link Metrics}' AUC, for this module's tests and (through the test-jar) the
 * generator's: the Mann–Whitney statistic the way Metrics computed it before it counted sorted
 * scores.
 */
public final class RankSumAuc {
  private RankSumAuc() {}

  /**
   * The AUC as Metrics computed it before it counted: rows sorted by score (boxed indices), ties
   * sharing their mean rank, (R₊ − P(P+1)/2) / (P·N).
   */
  public static double of(double[] scores, boolean[] positive) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double positiveRankSum = 0;
    long positives = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (positive[order[k]]) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
