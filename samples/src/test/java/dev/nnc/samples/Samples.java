package dev.nnc.samples;

import dev.nnc.lower.RuntimeViews;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.DataLoading;
import dev.nnc.pipeline.Training;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.train.Accuracy;
import java.nio.file.Path;

/** Loads a sample's {@code .nn} file (paths relative to the samples module) and prepares it. */
final class Samples {
  private Samples() {}

  static CompiledModel compile(String relativePath) {
    return CompiledModel.load(Path.of(relativePath));
  }

  /** The sample with its own recipe and data (and validation rows), initialised but not trained. */
  static Training.Prepared prepare(String relativePath) {
    CompiledModel model = compile(relativePath);
    Path file = Path.of(relativePath);
    return Training.prepare(
        model,
        DataLoading.training(model.model(), file).orElseThrow(),
        DataLoading.validation(model.model(), file).orElse(null),
        RuntimeViews.trainConfig(model.model()).orElseThrow());
  }

  /** Accuracy (argmax) of the network on the prepared validation rows. */
  static double validationAccuracy(Training.Prepared prepared) {
    return Accuracy.of(prepared.network(), prepared.validation());
  }

  /** Accuracy (argmax) of the network on the prepared training rows. */
  static double trainingAccuracy(Training.Prepared prepared) {
    return Accuracy.of(prepared.network(), prepared.data());
  }

  /** The network's outputs for every row of its (preprocessed) training data. */
  static double[] outputs(Training.Prepared prepared) {
    Network network = prepared.network();
    double[] out = new double[prepared.data().rows() * network.spec().outputWidth()];
    network.predict(prepared.data().x(), prepared.data().rows(), out);
    return out;
  }

  static double[] parameters(Network network) {
    double[] flat = new double[network.spec().parameterCount()];
    network.getParameters(flat);
    return flat;
  }

  /** The loss on the whole training set at the current parameters. */
  static double loss(Training.Prepared prepared) {
    var data = prepared.data();
    var batch = dev.nnc.runtime.Batch.forSpec(prepared.network().spec(), data.rows());
    System.arraycopy(data.x(), 0, batch.x, 0, data.x().length);
    if (data.hasLabels()) {
      System.arraycopy(data.labels(), 0, batch.labels, 0, data.rows());
    } else {
      System.arraycopy(data.targets(), 0, batch.targets, 0, data.targets().length);
    }
    batch.setRows(data.rows());
    return prepared.network().loss(batch);
  }
}
