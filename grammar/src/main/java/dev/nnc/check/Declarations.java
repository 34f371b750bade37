package dev.nnc.check;

import dev.nnc.ast.DenseDecl;
import dev.nnc.ast.DimensionDecl;
import dev.nnc.ast.InputDecl;
import dev.nnc.ast.LabelDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NetworkDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.TargetDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The names a network block declares, with what declares them (for messages). */
final class Declarations {
  /** A declared name and the words that describe its declaration ("dense layer"). */
  record Declared(NameDecl name, String what) {}

  private Declarations() {}

  /** Inputs, layers, targets and labels: one namespace. */
  static List<Declared> values(NetworkDecl network) {
    List<Declared> result = new ArrayList<>();
    for (StatementDecl statement : network.statements()) {
      if (statement instanceof InputDecl input) {
        result.add(new Declared(input.name(), "input"));
      } else if (statement instanceof DenseDecl dense) {
        result.add(new Declared(dense.name(), "dense layer"));
      } else if (statement instanceof dev.nnc.ast.ConvDecl conv) {
        result.add(new Declared(conv.name(), "conv layer"));
      } else if (statement instanceof dev.nnc.ast.PoolDecl pool) {
        result.add(new Declared(pool.name(), pool.keyword() + " layer"));
      } else if (statement instanceof dev.nnc.ast.FlattenDecl flatten) {
        result.add(new Declared(flatten.name(), "flatten"));
      } else if (statement instanceof TargetDecl target) {
        result.add(new Declared(target.name(), "target"));
      } else if (statement instanceof LabelDecl label) {
        result.add(new Declared(label.name(), "label"));
      }
    }
    return result;
  }

  /** Dimension definitions ({@code D = 784}): a namespace of their own. */
  static List<NameDecl> dimensions(NetworkDecl network) {
    List<NameDecl> result = new ArrayList<>();
    for (StatementDecl statement : network.statements()) {
      dimensionOf(statement)
          .filter(dimension -> dimension.size().isPresent())
          .flatMap(DimensionDecl::name)
          .ifPresent(result::add);
    }
    return result;
  }

  static Optional<DimensionDecl> dimensionOf(StatementDecl statement) {
    if (statement instanceof InputDecl input) {
      return Optional.of(input.dimension());
    } else if (statement instanceof DenseDecl dense) {
      return Optional.of(dense.dimension());
    } else if (statement instanceof dev.nnc.ast.ConvDecl conv) {
      return Optional.of(conv.filters());
    } else if (statement instanceof TargetDecl target) {
      return Optional.of(target.dimension());
    }
    return Optional.empty();
  }
}
