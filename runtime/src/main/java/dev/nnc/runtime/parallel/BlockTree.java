package dev.nnc.runtime.parallel;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sum of one vector per leaf (a block of rows) over leaves {@code 0 .. n−1}, in one fixed
 * pairwise tree, whatever the order and grouping in which the leaves arrive.
 *
 * <p>Node (level k, index j) covers the leaves {@code [j·2ᵏ, min((j+1)·2ᵏ, n))}. Its value is its
 * left child plus its right child, element by element, left first; when the right child covers no
 * leaf (the ragged end of the tree) the node is its left child unchanged. The root is node (L, 0)
 * with 2ᴸ ≥ n. A partial tree holds the largest finished nodes it has seen so far; adding a leaf or
 * merging another partial tree completes every node both halves of which are present. Since every
 * node's value is computed from the same two children by the same addition, the root's bits do not
 * depend on which partition held which leaves, on the order tasks finish or merge, or on retries (a
 * retried task's result replaces the lost one; Spark counts each partition once). Merging is what
 * {@code treeAggregate} calls on the executors and then on the driver.
 *
 * <p>It is the tree of {@link BlockSums#pairwise(double[][], int, double[])} (the first m values
 * and the rest, m the largest power of two below the count; {@code BlockTreeTest} checks the bits),
 * in a form that can be summed piecewise where the blocks live and merged in any order: what a
 * cluster (nnc-spark) sums the blocks of {@link
 * DataParallel#blockLossAndGradient(dev.nnc.runtime.Batch, int, int, double[])} with. Vectors
 * passed in are taken over (summed in place), not copied.
 */
public final class BlockTree implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long leaves;
  private final int rootLevel;
  private final TreeMap<Long, double[]> nodes = new TreeMap<>();

  private BlockTree(long leaves) {
    if (leaves < 1) {
      throw new IllegalArgumentException("a tree needs at least one leaf, got " + leaves);
    }
    this.leaves = leaves;
    int level = 0;
    while ((1L << level) < leaves) {
      level++;
    }
    this.rootLevel = level;
  }

  /** A tree over {@code leaves} leaves with none of them yet. */
  public static BlockTree empty(long leaves) {
    return new BlockTree(leaves);
  }

  public long leaves() {
    return leaves;
  }

  /** The depth of the tree: ⌈log₂ n⌉ additions from a leaf to the root. */
  public int depth() {
    return rootLevel;
  }

  /** Adds leaf {@code leaf}'s vector (taken over, not copied); returns this tree. */
  public BlockTree add(long leaf, double[] value) {
    if (leaf < 0 || leaf >= leaves) {
      throw new IndexOutOfBoundsException("leaf " + leaf + " of " + leaves);
    }
    insert(0, leaf, value);
    return this;
  }

  /** Adds every node of {@code other} (a tree over the same leaves); returns this tree. */
  public BlockTree merge(BlockTree other) {
    if (other.leaves != leaves) {
      throw new IllegalArgumentException(
          "cannot merge a tree of " + other.leaves + " leaves into one of " + leaves);
    }
    for (Map.Entry<Long, double[]> node : other.nodes.entrySet()) {
      long key = node.getKey();
      insert((int) (key >>> 56), key & ((1L << 56) - 1), node.getValue());
    }
    other.nodes.clear();
    return this;
  }

  /** Whether every leaf has arrived (the root is finished). */
  public boolean complete() {
    return nodes.size() == 1 && nodes.containsKey(key(rootLevel, 0));
  }

  /** The sum over all leaves. */
  public double[] root() {
    if (!complete()) {
      throw new IllegalStateException(
          "the tree over " + leaves + " leaves is missing some: " + nodes.size() + " open nodes");
    }
    return nodes.get(key(rootLevel, 0));
  }

  private void insert(int level, long index, double[] value) {
    while (level < rootLevel) {
      boolean left = (index & 1) == 0;
      if (left && ((index + 1) << level) >= leaves) {
        // the right sibling covers no leaf: this node passes up unchanged
        index >>>= 1;
        level++;
        continue;
      }
      double[] sibling = nodes.remove(key(level, index ^ 1));
      if (sibling == null) {
        put(level, index, value);
        return;
      }
      double[] l = left ? value : sibling;
      double[] r = left ? sibling : value;
      if (l.length != r.length) {
        throw new IllegalArgumentException("vectors of length " + l.length + " and " + r.length);
      }
      for (int i = 0; i < l.length; i++) {
        l[i] += r[i];
      }
      value = l;
      index >>>= 1;
      level++;
    }
    put(level, index, value);
  }

  private void put(int level, long index, double[] value) {
    if (nodes.putIfAbsent(key(level, index), value) != null) {
      throw new IllegalStateException("node " + index + " of level " + level + " arrived twice");
    }
  }

  private static long key(int level, long index) {
    return ((long) level << 56) | index;
  }
}
