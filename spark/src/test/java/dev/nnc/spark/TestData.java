package dev.nnc.spark;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Seeded rows for the Blocks network: three raw inputs, a class from a fixed linear rule. */
final class TestData {
  private TestData() {}

  /**
   * Rows of the tests' data: 13 blocks of the Blocks network's 1024 rows (its {@code BLOCK_ROWS}: a
   * tiny network gets the largest block), the last one short.
   */
  static final int ROWS = 12 * 1024 + 300;

  static final StructType SCHEMA =
      new StructType()
          .add("x", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add("y", DataTypes.IntegerType, false);

  static Dataset raw(int rows, long seed) {
    Rng rng = new Rng(seed);
    double[] x = new double[rows * 3];
    int[] y = new int[rows];
    for (int r = 0; r < rows; r++) {
      double a = 4 * rng.nextDouble() - 2;
      double b = 4 * rng.nextDouble() - 2;
      double c = 4 * rng.nextDouble() - 2;
      x[3 * r] = a;
      x[3 * r + 1] = b;
      x[3 * r + 2] = c;
      double s0 = a + 0.5 * b * b;
      double s1 = -a + c;
      double s2 = 0.3 * b - c * c + 1;
      y[r] = s0 >= s1 && s0 >= s2 ? 0 : s1 >= s2 ? 1 : 2;
    }
    return new Dataset("test rows", rows, 3, x, 3, null, y);
  }

  static List<Row> rows(Dataset data) {
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < data.rows(); r++) {
      double[] x = new double[data.inputWidth()];
      for (int c = 0; c < data.inputWidth(); c++) {
        x[c] = data.x()[r * data.inputWidth() + c];
      }
      rows.add(RowFactory.create(x, data.labels()[r]));
    }
    return rows;
  }

  /** The rows as a DataFrame of {@code slices} partitions, in the same order. */
  static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data, int slices) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(context.parallelize(rows(data), slices), SCHEMA);
  }

  static SparkSession session(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("nnc-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .getOrCreate();
  }
}
