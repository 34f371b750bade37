package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.List;
import java.util.Optional;

/**
 * A checked network: valid by construction, so emitters never report user errors. Layers form a
 * chain: {@code layers.get(0)} reads the input, each later layer reads the one before, and the loss
 * reads the last. A convolutional network has {@link #spatial} layers first (conv, pool), reading
 * the input as (C, H, W); the first dense layer then reads the last of them, flattened.
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
    Optional<Penalty> penalty,
    Optional<Train> train,
    Span span,
    List<Spatial> spatial) {

  public Model {
    layers = List.copyOf(layers);
    spatial = List.copyOf(spatial);
  }

  /** A network of dense layers only. */
  public Model(
      String name,
      String sourceFile,
      Precision precision,
      Input input,
      List<Dense> layers,
      Target target,
      Loss loss,
      Optional<Penalty> penalty,
      Optional<Train> train,
      Span span) {
    this(name, sourceFile, precision, input, layers, target, loss, penalty, train, span, List.of());
  }

  /** Whether convolution or pooling layers come before the dense ones. */
  public boolean convolutional() {
    return !spatial.isEmpty();
  }

  public Dense outputLayer() {
    return layers.get(layers.size() - 1);
  }
}
