package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.List;
import java.util.Optional;

/**
 * A checked network: valid by construction, so emitters never report user errors. Layers form a
 * chain: {@code layers.get(0)} reads the input, each later layer reads the one before, and the loss
 * reads the last.
 *
 * @param name the network's name, a valid Java identifier that is not a keyword
 * @param sourceFile the {@code .nn} file name as given to the compiler
 */
public record Model(
    String name,
    String sourceFile,
    Precision precision,
    Input input,
    List<Dense> layers,
    Target target,
    Loss loss,
    Optional<L2Penalty> penalty,
    Optional<Train> train,
    Span span) {

  public Model {
    layers = List.copyOf(layers);
  }

  public Dense outputLayer() {
    return layers.get(layers.size() - 1);
  }
}
