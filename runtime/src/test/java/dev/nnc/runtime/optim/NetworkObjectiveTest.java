package dev.nnc.runtime.optim;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import org.junit.jupiter.api.Test;

class NetworkObjectiveTest {
  @Test
  void resultDependsOnTheVectorOnlyWhateverTheNetworkHeldBefore() {
    LinearNetwork network =
        new LinearNetwork(
            3, 2, 6, LinearNetwork.Penalty.REG_SUM, 0.1, NetworkSpec.Precision.DOUBLE, false);
    Batch batch = ConjugateGradientTest.batch(network, 6, 2);
    NetworkObjective objective = new NetworkObjective(network, batch);
    int n = objective.dimension();
    assertThat(n).isEqualTo(8);
    Rng rng = new Rng(9);
    double[] p = new double[n];
    double[] q = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = rng.nextGaussian();
      q[i] = rng.nextGaussian();
    }
    double[] pCopy = p.clone();
    double[] first = new double[n];
    double firstLoss = objective.evaluate(p, first);

    double[] garbage = new double[n];
    double[] again = new double[n];
    for (double junk : new double[] {1e6, -3, Double.NaN}) {
      java.util.Arrays.fill(garbage, junk);
      network.setParameters(garbage); // what the seed's cost function would have read
      double[] other = new double[n];
      objective.evaluate(q, other); // and a different point in between
      network.setParameters(garbage);
      double loss = objective.evaluate(p, again);
      assertThat(loss).isEqualTo(firstLoss);
      assertThat(again).usingExactEquality().containsExactly(first).inOrder();
    }
    assertThat(p).usingExactEquality().containsExactly(pCopy).inOrder();

    // And it is the network's own loss and gradient at p (not some other point's).
    network.setParameters(p);
    assertThat(network.lossAndGradient(batch)).isEqualTo(firstLoss);
    double[] direct = new double[n];
    network.getGradient(direct);
    assertThat(direct).usingExactEquality().containsExactly(first).inOrder();
  }

  @Test
  void evaluatesTheRowsAsTheyWereWhenItWasMade() {
    LinearNetwork network = new LinearNetwork(3, 2, 6);
    Batch batch = ConjugateGradientTest.batch(network, 6, 4);
    NetworkObjective objective = new NetworkObjective(network, batch);
    double[] p = new double[objective.dimension()];
    java.util.Arrays.fill(p, 0.3);
    double[] gradient = new double[p.length];
    double loss = objective.evaluate(p, gradient);
    network.setParameters(p);
    assertThat(network.lossAndGradient(batch)).isEqualTo(loss);

    batch.x[4] += 1; // the batch changes after the objective was made: the objective does not
    batch.targets[0] -= 2;
    double[] again = new double[p.length];
    assertThat(objective.evaluate(p, again)).isEqualTo(loss);
    assertThat(again).usingExactEquality().containsExactly(gradient).inOrder();
    // a new objective evaluates the new rows
    double changed = new NetworkObjective(network, batch).evaluate(p, again);
    network.setParameters(p);
    assertThat(changed).isEqualTo(network.lossAndGradient(batch));
    assertThat(changed).isNotEqualTo(loss);
  }

  @Test
  void refusesVectorsOfTheWrongLengthAndBatchesTooBig() {
    LinearNetwork network = new LinearNetwork(3, 2, 4);
    NetworkObjective objective =
        new NetworkObjective(network, ConjugateGradientTest.batch(network, 4, 1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> objective.evaluate(new double[7], new double[8]));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("vectors of length 7 and 8, network Linear has 8 parameters");
    LinearNetwork small = new LinearNetwork(3, 2, 2);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new NetworkObjective(small, ConjugateGradientTest.batch(network, 4, 1)));
    assertThat(e).hasMessageThat().contains("has buffers for 2");
  }
}
