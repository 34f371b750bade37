package dev.nnc.check;

import dev.nnc.ast.DenseDecl;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Input;
import dev.nnc.ir.Model;
import dev.nnc.ir.Train;
import java.util.ArrayList;
import java.util.List;

/** Assembles the IR from a context every pass has accepted. */
final class IrBuilder {
  private IrBuilder() {}

  static Model build(CheckContext context) {
    Input input =
        new Input(
            context.input.name().text(),
            context.inputRawWidth,
            context.powers,
            context.inputWidth,
            context.inputStandardizeDdof,
            context.inputDimensionName,
            context.input.span(),
            context.inputShape == null
                ? List.of()
                : List.of(context.inputShape[0], context.inputShape[1], context.inputShape[2]));
    List<Dense> layers = new ArrayList<>();
    for (int i = 0; i < context.denseLayers.size(); i++) {
      DenseDecl dense = context.denseLayers.get(i);
      layers.add(
          new Dense(
              dense.name().text(),
              context.layerInputName(i),
              context.layerInputWidth(i),
              context.layerWidths.get(i),
              context.biases.get(i),
              context.activations.get(i),
              context.weightInits.get(i),
              context.biasInits.get(i),
              dense.span(),
              context.dropouts.get(i)));
    }
    var train =
        context.trainIr.map(
            recipe ->
                new Train(
                    recipe.learningRate(),
                    recipe.decayPerEpoch(),
                    recipe.batchSize(),
                    recipe.shuffle(),
                    recipe.withReplacement(),
                    recipe.epochs(),
                    recipe.steps(),
                    recipe.seed(),
                    context.inlineData,
                    recipe.span(),
                    recipe.optimizer(),
                    context.dataSource,
                    context.validation,
                    context.validationSplit,
                    context.earlyStopping,
                    context.schedule));
    return new Model(
        context.network.name().text(),
        context.source.fileName(),
        context.precision,
        input,
        layers,
        context.target,
        context.lossIr,
        context.penalty,
        train,
        context.network.span(),
        context.spatialLayers);
  }
}
