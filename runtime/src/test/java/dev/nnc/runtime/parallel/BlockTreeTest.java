package dev.nnc.runtime.parallel;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The piecewise tree a cluster sums with equals {@link BlockSums#pairwise(double[][], int,
 * double[])}, the sum of the one-machine path, bit for bit, for any order in which the leaves
 * arrive and any grouping of them into partial trees merged in any order.
 */
class BlockTreeTest {

  /**
   * The sum of the runtime's one-machine path: {@link BlockSums#pairwise(double[][], int,
   * double[])}.
   */
  static double[] reference(double[][] leaves, int from, int to) {
    double[] out = new double[leaves[0].length];
    BlockSums.pairwise(java.util.Arrays.copyOfRange(leaves, from, to), to - from, out);
    return out;
  }

  static double[][] leaves(int n, long seed) {
    Rng rng = new Rng(seed);
    double[][] leaves = new double[n][3];
    for (double[] leaf : leaves) {
      for (int i = 0; i < leaf.length; i++) {
        leaf[i] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(40) - 20);
      }
    }
    return leaves;
  }

  @Test
  void anyOrderAndGroupingGivesTheBitsOfBlockSumsPairwise() {
    for (int n : new int[] {1, 2, 3, 5, 13, 64, 100}) {
      double[][] leaves = leaves(n, n);
      double[] expected = reference(leaves, 0, n);
      Rng rng = new Rng(99 + n);
      for (int trial = 0; trial < 20; trial++) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        rng.shuffle(order);
        // split the shuffled leaves into random groups, sum each, merge the groups in random order
        List<BlockTree> groups = new ArrayList<>();
        BlockTree current = BlockTree.empty(n);
        for (int leaf : order) {
          current.add(leaf, leaves[leaf].clone());
          if (rng.nextInt(3) == 0) {
            groups.add(current);
            current = BlockTree.empty(n);
          }
        }
        groups.add(current);
        BlockTree total = BlockTree.empty(n);
        while (!groups.isEmpty()) {
          total.merge(groups.remove(rng.nextInt(groups.size())));
        }
        assertThat(total.root()).usingExactEquality().containsExactly(expected).inOrder();
      }
    }
  }

  @Test
  void theTreeIsNotTheLeftToRightSum() {
    // 1 + 1e16 − 1e16 + 1: left to right loses a 1, the tree ((1 + 1e16) + (−1e16 + 1)) too but
    // differently: the point is only that the order is fixed by the tree, not by arrival.
    double[][] leaves = {{1}, {1e16}, {-1e16}, {1}};
    double sequential = ((1 + 1e16) - 1e16) + 1;
    BlockTree tree = BlockTree.empty(4);
    for (int i = 3; i >= 0; i--) {
      tree.add(i, leaves[i].clone());
    }
    assertThat(tree.root()[0]).isEqualTo((1 + 1e16) + (-1e16 + 1));
    assertThat(tree.root()[0]).isNotEqualTo(sequential);
  }

  @Test
  void aMissingOrDuplicatedLeafIsRefused() {
    BlockTree tree = BlockTree.empty(3).add(0, new double[] {1}).add(2, new double[] {2});
    assertThat(tree.complete()).isFalse();
    IllegalStateException missing = assertThrows(IllegalStateException.class, tree::root);
    assertThat(missing).hasMessageThat().contains("missing");
    IllegalStateException twice =
        assertThrows(IllegalStateException.class, () -> tree.add(2, new double[] {2}));
    assertThat(twice).hasMessageThat().isEqualTo("node 1 of level 1 arrived twice");
  }
}
