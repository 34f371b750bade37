package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.check.NnCompiler;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * The generated class refuses a batch whose targets it cannot take, naming what it expected,
 * instead of training on misaligned rows or failing with an index or null-pointer exception.
 */
class BatchChecksTest {
  private static Network network(String target, String loss, String output) {
    String text =
        """
        network N {
            input  x[2]
            dense  out[%s]
            %s
            loss   %s
        }
        """
            .formatted(output, target, loss);
    var compiled = NnCompiler.compile("n.nn", text);
    assertThat(compiled.formatDiagnostics()).isEmpty();
    return CompiledModel.of(compiled.model().orElseThrow()).newNetwork(4);
  }

  private static Network dense() {
    return network("target y[3]", "squared_error(out, y)", "3");
  }

  private static Network labels() {
    return network("label y", "softmax_cross_entropy(out, y)", "3");
  }

  @Test
  void aDenseNetworkRefusesTargetsOfAnotherWidthAndLabels() {
    Network network = dense();
    Batch narrow = new Batch(2, 2, 2, false);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> network.lossAndGradient(narrow));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "this network takes dense targets 'y', 3 wide, but the batch has 2 target columns");
    Batch labelled = new Batch(2, 2, 3, true);
    e = assertThrows(IllegalArgumentException.class, () -> network.loss(labelled));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("this network takes dense targets 'y', 3 wide, but the batch has class labels");
    // the right batch passes the check
    assertThat(network.loss(new Batch(2, 2, 3, false))).isAtLeast(0.0);
  }

  @Test
  void aLabelNetworkRefusesDenseTargetsAndLabelsOutsideItsClasses() {
    Network network = labels();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> network.lossAndGradient(new Batch(2, 2, 3, false)));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "this network takes class labels 'y' (0..2), but the batch has dense targets, 3 wide;"
                + " build the batch with Batch.forSpec(SPEC, rows)");
    Batch batch = new Batch(3, 2, 3, true);
    batch.labels[1] = 3;
    e = assertThrows(IllegalArgumentException.class, () -> network.lossAndGradient(batch));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("label 3 in row 1 is outside 0..2 (the 3 classes of 'y')");
    batch.labels[1] = -1;
    e = assertThrows(IllegalArgumentException.class, () -> network.loss(batch));
    assertThat(e).hasMessageThat().startsWith("label -1 in row 1 is outside 0..2");
    batch.labels[1] = 2;
    assertThat(network.loss(batch)).isGreaterThan(0.0);
  }

  @Test
  void batchOfComparesTheDatasetWithTheSpec() {
    Network network = dense();
    Dataset twoWide = new Dataset("d.csv", 1, 2, new double[] {1, 2}, 2, new double[] {0, 1}, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Batch.of(network.spec(), twoWide));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("d.csv: 2 target columns, network N takes 'y', 3 wide");
    Dataset labelled = new Dataset("l.csv", 1, 2, new double[] {1, 2}, 3, null, new int[] {1});
    e = assertThrows(IllegalArgumentException.class, () -> Batch.of(network.spec(), labelled));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("l.csv: class labels, network N takes dense targets 'y', 3 wide");
    Dataset wide =
        new Dataset("w.csv", 1, 3, new double[] {1, 2, 3}, 3, new double[] {0, 1, 0}, null);
    e = assertThrows(IllegalArgumentException.class, () -> Batch.of(network.spec(), wide));
    assertThat(e).hasMessageThat().isEqualTo("w.csv: 3 input columns, network N takes 2");
    Dataset outside = new Dataset("o.csv", 1, 2, new double[] {1, 2}, 3, null, new int[] {7});
    e = assertThrows(IllegalArgumentException.class, () -> Batch.of(labels().spec(), outside));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("o.csv: label 7 in row 0 is outside 0..2 (the classes of 'y')");
  }
}
