package dev.nnc.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * A spy for trainer tests: one input column (the tests put each row's id there), dense targets of
 * width 1, one parameter p. It records the rows of every batch and every learning rate, its loss
 * comes from a script (by 0-based call number), and {@code sgdStep(lr)} does p −= lr.
 */
public final class ScriptedNetwork implements Network {
  public final List<int[]> batches = new ArrayList<>();
  public final List<Double> learningRates = new ArrayList<>();
  public int penaltyExampleCount = -1;
  private final int maxRows;
  private final IntToDoubleFunction lossByCall;
  private final NetworkSpec spec;
  private double parameter;
  private int calls;

  public ScriptedNetwork(int maxRows, IntToDoubleFunction lossByCall) {
    this.maxRows = maxRows;
    this.lossByCall = lossByCall;
    this.spec =
        new NetworkSpec(
            "Scripted",
            "scripted.nn",
            NetworkSpec.Precision.DOUBLE,
            "x",
            1,
            new int[0],
            1,
            -1,
            1,
            "y",
            NetworkSpec.TargetKind.DENSE,
            1,
            -1,
            List.of(new TensorSpec("p.W", "p", 2, 1, 1, 0, true, InitSpec.constant(0))),
            1);
  }

  public double parameter() {
    return parameter;
  }

  @Override
  public NetworkSpec spec() {
    return spec;
  }

  @Override
  public int maxRows() {
    return maxRows;
  }

  @Override
  public void getParameters(double[] dst) {
    dst[0] = parameter;
  }

  @Override
  public void setParameters(double[] src) {
    parameter = src[0];
  }

  @Override
  public void getGradient(double[] dst) {
    dst[0] = 1;
  }

  @Override
  public double loss(Batch batch) {
    return lossByCall.applyAsDouble(calls);
  }

  @Override
  public double lossAndGradient(Batch batch) {
    int[] rows = new int[batch.rows()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (int) batch.x[i];
      if (batch.targets[i] != 10 * batch.x[i]) {
        throw new AssertionError("target of row " + rows[i] + " not copied with its input");
      }
    }
    batches.add(rows);
    return lossByCall.applyAsDouble(calls++);
  }

  @Override
  public void predict(double[] x, int rows, double[] out) {
    System.arraycopy(x, 0, out, 0, rows);
  }

  @Override
  public void sgdStep(double learningRate) {
    learningRates.add(learningRate);
    parameter -= learningRate;
  }

  @Override
  public void setPenaltyExampleCount(int m) {
    penaltyExampleCount = m;
  }

  /** m rows whose input is the row id and target is 10 × the id. */
  public static dev.nnc.runtime.data.Dataset rows(int m) {
    double[] x = new double[m];
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      x[i] = i;
      y[i] = 10 * i;
    }
    return new dev.nnc.runtime.data.Dataset("ids", m, 1, x, 1, y, null);
  }
}
