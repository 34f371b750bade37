package dev.nnc.runtime.optim;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.FixedBatch;
import dev.nnc.runtime.Network;

/**
 * A network's loss on one fixed batch (for CG and L-BFGS: the whole training set) as a pure
 * function of the flat parameter vector: every call first loads the vector it is given into the
 * network, so what the network held before cannot leak into the result, and the rows are a {@link
 * FixedBatch} (a copy of the batch as it was when the objective was made), so nothing written into
 * the batch afterwards can either. The network evaluates them with {@link
 * Network#lossAndGradient(FixedBatch)}: a generated float network converts the inputs to float
 * once, not in every evaluation.
 */
public final class NetworkObjective implements Objective {
  private final Network network;
  private final FixedBatch batch;
  private final int dimension;

  /**
   * @param batch the rows to evaluate on, already filled: the objective evaluates a copy of them as
   *     they are now ({@link FixedBatch#copyOf}); the network must have buffers for its rows
   */
  public NetworkObjective(Network network, Batch batch) {
    this(network, FixedBatch.copyOf(batch));
  }

  /**
   * @param batch the rows to evaluate on; the network must have buffers for its rows
   */
  public NetworkObjective(Network network, FixedBatch batch) {
    if (batch.rows() > network.maxRows()) {
      throw new IllegalArgumentException(
          "a batch of "
              + batch.rows()
              + " rows, but network "
              + network.spec().name()
              + " has buffers for "
              + network.maxRows());
    }
    this.network = network;
    this.batch = batch;
    this.dimension = network.spec().parameterCount();
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /**
   * {@code setParameters(parameters)}, {@code lossAndGradient(batch)} (the fixed batch), {@code
   * getGradient(gradientOut)}. Leaves the network holding {@code parameters}.
   */
  @Override
  public double evaluate(double[] parameters, double[] gradientOut) {
    if (parameters.length != dimension || gradientOut.length != dimension) {
      throw new IllegalArgumentException(
          "vectors of length "
              + parameters.length
              + " and "
              + gradientOut.length
              + ", network "
              + network.spec().name()
              + " has "
              + dimension
              + " parameters");
    }
    network.setParameters(parameters);
    double loss = network.lossAndGradient(batch);
    network.getGradient(gradientOut);
    return loss;
  }
}
