package dev.nnc.spark;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad rows get one clear error naming the data, the row and the column, and nothing is written;
 * named columns are mapped by options; a new driver resumes from the last checkpoint.
 */
class SparkInputTest {
  static SparkSession spark;
  static SparkModel model;
  static Dataset raw;

  @TempDir Path temp;

  @BeforeAll
  static void start() {
    model = SparkModel.compile(SparkTrainerTest.NN);
    raw = TestData.raw(3 * 1024 + 40, 5);
    spark = TestData.session("local[2]");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static final TrainConfig ADAM =
      new TrainConfig(0.02, 1, 1024, true, false, 2, 0, 7, OptimizerSpec.adam(0.9, 0.999, 1e-8));

  SparkTrainer trainer() {
    return new SparkTrainer(model)
        .config(ADAM)
        .source("test rows")
        .checkpointEvery(1, temp.resolve("Blocks-checkpoint.npz"));
  }

  /** The test rows with row {@code bad} (0-based) replaced, under {@code schema}, 3 partitions. */
  org.apache.spark.sql.Dataset<Row> frame(StructType schema, int bad, Function<Row, Row> change) {
    List<Row> rows = new ArrayList<>(TestData.rows(raw));
    if (bad >= 0) {
      rows.set(bad, change.apply(rows.get(bad)));
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(context.parallelize(rows, 3), schema);
  }

  String refused(org.apache.spark.sql.Dataset<Row> data, SparkTrainer trainer) {
    SparkDataException e = assertThrows(SparkDataException.class, () -> trainer.train(data));
    assertThat(Files.exists(temp.resolve("Blocks-checkpoint.npz"))).isFalse();
    return e.getMessage();
  }

  static StructType schema(
      org.apache.spark.sql.types.DataType x, org.apache.spark.sql.types.DataType y) {
    return new StructType().add("x", x, true).add("y", y, true);
  }

  static final org.apache.spark.sql.types.DataType ARRAY =
      DataTypes.createArrayType(DataTypes.DoubleType, true);

  @Test
  void aMissingColumnIsNamedWithTheColumnsThereAre() {
    StructType schema = new StructType().add("x", ARRAY).add("label", DataTypes.IntegerType);
    assertThat(refused(frame(schema, -1, r -> r), trainer()))
        .isEqualTo("test rows: no column 'y' (the network's label); the columns are x, label");
  }

  @Test
  void aRowOfTheWrongWidthIsNamed() {
    assertThat(
            refused(
                frame(
                    schema(ARRAY, DataTypes.IntegerType),
                    16,
                    r -> RowFactory.create(new double[] {1, 2}, r.get(1))),
                trainer()))
        .isEqualTo("test rows, row 17, column 'x': 2 values, network Blocks expects 3");
  }

  @Test
  void aValueThatIsNotANumberIsNamed() {
    StructType schema = schema(ARRAY, DataTypes.StringType);
    Function<Row, Row> asText = r -> RowFactory.create(r.get(0), String.valueOf(r.get(1)));
    List<Row> rows = new ArrayList<>();
    for (Row row : TestData.rows(raw)) {
      rows.add(asText.apply(row));
    }
    rows.set(29, RowFactory.create(rows.get(29).get(0), "two"));
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    var data = spark.createDataFrame(context.parallelize(rows, 3), schema);
    assertThat(refused(data, trainer()))
        .isEqualTo("test rows, row 30, column 'y': 'two' is not a number");
    // a column of a type that holds no numbers is refused before any job runs
    StructType booleans = schema(ARRAY, DataTypes.BooleanType);
    assertThat(refused(frame(booleans, 0, r -> r).limit(0), trainer()))
        .isEqualTo(
            "test rows: column 'y' is boolean, not numeric (numbers, numeric strings or an array"
                + " of numbers)");
  }

  @Test
  void nullsAreNamed() {
    assertThat(
            refused(
                frame(schema(ARRAY, DataTypes.IntegerType), 6, r -> RowFactory.create(null, 1)),
                trainer()))
        .isEqualTo("test rows, row 7, column 'x': null");
    assertThat(
            refused(
                frame(
                    schema(ARRAY, DataTypes.IntegerType),
                    38,
                    r -> RowFactory.create(new Double[] {1.0, null, 2.0}, r.get(1))),
                trainer()))
        .isEqualTo("test rows, row 39, column 'x': null");
  }

  @Test
  void aLabelOutOfRangeIsNamed() {
    assertThat(
            refused(
                frame(schema(ARRAY, DataTypes.IntegerType), 8, r -> RowFactory.create(r.get(0), 3)),
                trainer()))
        .isEqualTo(
            "test rows, row 9, column 'y': label 3 is outside 0..2 (network Blocks has 3 classes)");
  }

  @Test
  void scalarColumnsMappedByOptionsTrainLikeTheArrayColumn() throws Exception {
    StructType schema =
        new StructType()
            .add("a", DataTypes.DoubleType)
            .add("b", DataTypes.FloatType)
            .add("c", DataTypes.DoubleType)
            .add("class", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < raw.rows(); r++) {
      double[] x = raw.x();
      rows.add(
          RowFactory.create(x[3 * r], (float) x[3 * r + 1], x[3 * r + 2], (long) raw.labels()[r]));
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    var data = spark.createDataFrame(context.parallelize(rows, 2), schema);
    SparkTrainingResult named = trainer().features("a", "b", "c").targets("class").train(data);
    // the same rows with b rounded to float, in one array column
    double[] x = raw.x().clone();
    for (int r = 0; r < raw.rows(); r++) {
      x[3 * r + 1] = (float) x[3 * r + 1];
    }
    Dataset rounded = new Dataset("rounded", raw.rows(), 3, x, 3, null, raw.labels());
    SparkTrainingResult local = new SparkTrainer(model).config(ADAM).trainLocal(rounded);
    assertThat(named.parameters())
        .usingExactEquality()
        .containsExactly(local.parameters())
        .inOrder();
  }

  @Test
  void aNewDriverResumesFromTheLastCheckpointBitForBit() throws Exception {
    var data = frame(schema(ARRAY, DataTypes.IntegerType), -1, r -> r);
    TrainConfig four = ADAM.withEpochs(4);
    SparkTrainingResult whole = new SparkTrainer(model).config(four).train(data);
    Path checkpoint = temp.resolve("run/Blocks-checkpoint.npz");
    Files.createDirectories(checkpoint.getParent());
    SparkTrainingResult first =
        new SparkTrainer(model).config(ADAM).checkpointEvery(1, checkpoint).train(data);
    assertThat(first.history().epochs()).hasSize(2);
    assertThat(first.parameters()).isNotEqualTo(whole.parameters());
    // a fresh trainer, as a restarted driver would build, continues to epoch 4
    SparkTrainingResult resumed =
        new SparkTrainer(model)
            .config(four)
            .checkpointEvery(1, checkpoint)
            .resume(true)
            .train(data);
    assertThat(resumed.history().toCsv()).isEqualTo(whole.history().toCsv());
    assertThat(resumed.parameters())
        .usingExactEquality()
        .containsExactly(whole.parameters())
        .inOrder();
  }
}
