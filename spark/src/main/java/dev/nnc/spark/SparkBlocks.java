package dev.nnc.spark;

import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.parallel.BlockTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The training rows on a Spark cluster, cut into fixed blocks of {@code blockRows} consecutive rows
 * of the Dataset's order (its rows numbered by {@code zipWithIndex}: the order of its partitions,
 * then within each).
 *
 * <p>One shuffle at the start moves every row to its block, and every block to the partition {@code
 * block / 2ˢ}: a partition holds 2ˢ consecutive blocks, exactly one node of the {@link BlockTree},
 * with 2ˢ chosen from the partition count asked for. The blocks stay cached on the executors
 * (memory, then disk); a lost executor's blocks are rebuilt from the lineage.
 *
 * <p>A sum is one job: every partition sums its blocks into its node (one vector), and the nodes
 * are merged in aligned groups on the executors ({@link #aggregate}), then on the driver: each
 * partition's vector travels once, and at most √partitions (rounded up to a power of two) reach the
 * driver with depth 2, as with MLlib's treeAggregate of gradients. Parameters reach the executors
 * as a broadcast, once per evaluation.
 */
final class SparkBlocks implements BlockSource {
  private final JavaSparkContext context;
  private final NetworkFactory factory;
  private final int blockRows;
  private final long rows;
  private final int blocks;
  private final int depth;
  private JavaRDD<DataBlock> data;

  SparkBlocks(
      JavaSparkContext context,
      NetworkFactory factory,
      JavaRDD<Row> input,
      RowReader reader,
      String source,
      int blockRows,
      int partitions,
      int depth) {
    this.context = context;
    this.factory = factory;
    this.blockRows = blockRows;
    this.depth = depth;
    JavaPairRDD<Row, Long> indexed = input.zipWithIndex();
    this.rows = indexed.count();
    if (rows == 0) {
      throw new SparkDataException(source + " has no rows");
    }
    if (rows > Integer.MAX_VALUE) {
      throw new SparkDataException(
          source + " has " + rows + " rows; nnc trains on at most 2³¹ − 1");
    }
    long count = (rows + blockRows - 1) / blockRows;
    this.blocks = (int) count;
    int wanted = Math.max(1, Math.min(partitions, blocks));
    int perPartition = 1;
    while ((long) perPartition * wanted < blocks) {
      perPartition <<= 1;
    }
    int partitionCount = (blocks + perPartition - 1) / perPartition;
    int size = blockRows;
    this.data =
        indexed
            .mapToPair(
                pair ->
                    new Tuple2<>(
                        pair._2() / size,
                        new Tuple2<>(pair._2(), reader.read(pair._1(), pair._2()))))
            .groupByKey(new BlockPartitioner(partitionCount, perPartition))
            .map(SparkBlocks::assemble)
            .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static DataBlock assemble(Tuple2<Long, Iterable<Tuple2<Long, RowReader.Values>>> group) {
    List<Tuple2<Long, RowReader.Values>> rows = new ArrayList<>();
    group._2().forEach(rows::add);
    rows.sort((a, b) -> Long.compare(a._1(), b._1()));
    RowReader.Values first = rows.get(0)._2();
    int n = rows.size();
    int w = first.x().length;
    boolean labels = first.targets() == null;
    int t = labels ? 0 : first.targets().length;
    double[] x = new double[n * w];
    double[] targets = labels ? null : new double[n * t];
    int[] labelValues = labels ? new int[n] : null;
    for (int r = 0; r < n; r++) {
      RowReader.Values values = rows.get(r)._2();
      System.arraycopy(values.x(), 0, x, r * w, w);
      if (labels) {
        labelValues[r] = values.label();
      } else {
        System.arraycopy(values.targets(), 0, targets, r * t, t);
      }
    }
    return new DataBlock(group._1(), n, w, x, t, targets, labelValues);
  }

  /** Block b → partition b / 2ˢ. */
  static final class BlockPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final int perPartition;

    BlockPartitioner(int partitions, int perPartition) {
      this.partitions = partitions;
      this.perPartition = perPartition;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (int) ((Long) key / perPartition);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof BlockPartitioner p
          && p.partitions == partitions
          && p.perPartition == perPartition;
    }

    @Override
    public int hashCode() {
      return 31 * partitions + perPartition;
    }
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public int blockRows() {
    return blockRows;
  }

  @Override
  public int blocks() {
    return blocks;
  }

  /** Partitions holding the blocks. */
  int partitions() {
    return data.getNumPartitions();
  }

  @Override
  public double[] sum(BlockFunction f, int[] selection) {
    long leaves = selection == null ? blocks : selection.length;
    JavaRDD<BlockTree> nodes =
        data.mapPartitions(
            (Iterator<DataBlock> it) -> {
              BlockTree tree = BlockTree.empty(leaves);
              while (it.hasNext()) {
                DataBlock block = it.next();
                if (selection == null) {
                  tree.add(block.index(), f.apply(block, block.index()));
                  continue;
                }
                for (int leaf = 0; leaf < selection.length; leaf++) {
                  if (selection[leaf] == block.index()) {
                    tree.add(leaf, f.apply(block, leaf));
                  }
                }
              }
              return Collections.singletonList(tree).iterator();
            });
    return aggregate(nodes, leaves);
  }

  /**
   * Merges the partitions' trees in aligned groups of f = 2ᵏ ≥ P^(1/depth) consecutive partitions,
   * level by level on the executors (one shuffle a level, inside one job), until at most f trees
   * are left for the driver. With full sums every partition holds one tree node, and a group of f
   * aligned nodes merges into one: P vectors cross the network at the first level, P/f at the next,
   * at most f reach the driver. (Spark's own {@code treeAggregate} groups partition i with i + P/f,
   * which are never siblings, so it would not shrink the trees.)
   */
  private double[] aggregate(JavaRDD<BlockTree> nodes, long leaves) {
    int count = nodes.getNumPartitions();
    int fanout = 2;
    while (Math.pow(fanout, depth) < count) {
      fanout <<= 1;
    }
    JavaPairRDD<Integer, BlockTree> level =
        nodes
            .mapPartitionsWithIndex(
                (Integer index, Iterator<BlockTree> it) -> {
                  List<Tuple2<Integer, BlockTree>> out = new ArrayList<>();
                  it.forEachRemaining(tree -> out.add(new Tuple2<>(index, tree)));
                  return out.iterator();
                },
                true)
            .mapToPair(t -> t);
    while (count > fanout) {
      int f = fanout;
      count = (count + f - 1) / f;
      level =
          level
              .mapToPair(t -> new Tuple2<>(t._1() / f, t._2()))
              .reduceByKey(new HashPartitioner(count), BlockTree::merge);
    }
    BlockTree total = BlockTree.empty(leaves);
    for (BlockTree tree : level.values().collect()) {
      total.merge(tree);
    }
    return total.root();
  }

  @Override
  public double[] lossAndGradient(double[] parameters, int[] selection, int batchRows) {
    Broadcast<double[]> shared = context.broadcast(parameters);
    NetworkFactory f = factory;
    int size = blockRows;
    int total = (int) rows;
    try {
      return sum(
          (b, leaf) ->
              BlockMath.lossAndGradient(f, size, total, shared.value(), b, leaf, batchRows),
          selection);
    } finally {
      shared.destroy();
    }
  }

  @Override
  public void preprocess(NetworkSpec spec, Map<String, double[]> stats) {
    NetworkFactory f = factory;
    JavaRDD<DataBlock> raw = data;
    data =
        raw.map(b -> BlockMath.preprocess(f.spec(), stats, b))
            .persist(StorageLevel.MEMORY_AND_DISK());
    data.count();
    raw.unpersist(false);
  }

  @Override
  public long[] fingerprints() {
    List<Tuple2<Long, Long>> pairs =
        data.map(b -> new Tuple2<>(b.index(), BlockMath.fingerprint(b))).collect();
    long[] out = new long[blocks];
    for (Tuple2<Long, Long> pair : pairs) {
      out[(int) (long) pair._1()] = pair._2();
    }
    return out;
  }

  @Override
  public void release() {
    data.unpersist(false);
  }
}
