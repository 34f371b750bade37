package dev.nnc.lower;

import dev.nnc.ir.Conv;
import dev.nnc.ir.DataSource;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Init;
import dev.nnc.ir.InlineData;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Optimizer;
import dev.nnc.ir.Precision;
import dev.nnc.ir.Schedule;
import dev.nnc.ir.Spatial;
import dev.nnc.ir.Target;
import dev.nnc.ir.Train;
import dev.nnc.runtime.InitSpec;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime sees of a checked {@link Model}: the flat-vector layout, the training recipe and
 * the inline data. The generated class and the reference interpreter both take their layout from
 * here, so the two can never disagree about where a tensor lives.
 *
 * <p>Layout: layer by layer in declaration order, the weight matrix {@code name.W} (in × out,
 * row-major) and then, if the layer has one, the bias {@code name.b} (out). A convolution's kernel
 * {@code name.W} is PyTorch's (out_ch, in_ch, kh, kw), row-major, before its bias (out_ch); the
 * convolutions come first, as they come before the dense layers.
 */
public final class RuntimeViews {
  private RuntimeViews() {}

  public static NetworkSpec spec(Model model) {
    List<TensorSpec> tensors = new ArrayList<>();
    int offset = 0;
    for (Spatial spatial : model.spatial()) {
      if (!(spatial instanceof Conv conv)) {
        continue; // pooling has no parameters
      }
      int line = conv.span().line();
      tensors.add(
          new TensorSpec(
              conv.name() + ".W",
              conv.name(),
              line,
              conv.outChannels(),
              conv.patchSize(),
              offset,
              true,
              initSpec(conv.weightInit()),
              List.of(
                  conv.outChannels(), conv.inChannels(), conv.kernelHeight(), conv.kernelWidth())));
      offset += conv.kernelSize();
      if (conv.bias()) {
        tensors.add(
            new TensorSpec(
                conv.name() + ".b",
                conv.name(),
                line,
                1,
                conv.outChannels(),
                offset,
                false,
                initSpec(conv.biasInit())));
        offset += conv.outChannels();
      }
    }
    for (Dense layer : model.layers()) {
      int line = layer.span().line();
      tensors.add(
          new TensorSpec(
              layer.name() + ".W",
              layer.name(),
              line,
              layer.in(),
              layer.out(),
              offset,
              true,
              initSpec(layer.weightInit())));
      offset += layer.in() * layer.out();
      if (layer.bias()) {
        tensors.add(
            new TensorSpec(
                layer.name() + ".b",
                layer.name(),
                line,
                1,
                layer.out(),
                offset,
                false,
                initSpec(layer.biasInit())));
        offset += layer.out();
      }
    }
    Target target = model.target();
    return new NetworkSpec(
        model.name(),
        model.sourceFile(),
        model.precision() == Precision.FLOAT
            ? NetworkSpec.Precision.FLOAT
            : NetworkSpec.Precision.DOUBLE,
        model.input().name(),
        model.input().rawWidth(),
        model.input().powers().stream().mapToInt(Integer::intValue).toArray(),
        model.input().width(),
        model.input().standardizeDdof(),
        model.outputLayer().out(),
        target.name(),
        target.kind() == Target.Kind.LABELS
            ? NetworkSpec.TargetKind.LABELS
            : NetworkSpec.TargetKind.DENSE,
        target.width(),
        target.standardizeDdof(),
        tensors,
        offset,
        outputKind(model.loss()));
  }

  /** What the loss makes of the last layer's outputs. */
  public static NetworkSpec.OutputKind outputKind(Loss loss) {
    return switch (loss.kind()) {
      case SQUARED_ERROR -> NetworkSpec.OutputKind.VALUES;
      case BINARY_CROSS_ENTROPY -> NetworkSpec.OutputKind.PROBABILITIES;
      case SOFTMAX_CROSS_ENTROPY -> NetworkSpec.OutputKind.LOGITS;
    };
  }

  public static InitSpec initSpec(Init init) {
    if (init instanceof Init.Uniform u) {
      return InitSpec.uniform(u.low(), u.high());
    } else if (init instanceof Init.Normal n) {
      return InitSpec.normal(n.mean(), n.std());
    } else if (init instanceof Init.Constant c) {
      return InitSpec.constant(c.value());
    } else if (init instanceof Init.Xavier) {
      return InitSpec.xavier();
    } else if (init instanceof Init.He) {
      return InitSpec.he();
    } else if (init instanceof Init.Values v) {
      return InitSpec.values(v.values().stream().mapToDouble(Double::doubleValue).toArray());
    }
    throw new AssertionError(init);
  }

  public static Optional<TrainConfig> trainConfig(Model model) {
    return model.train().map(RuntimeViews::trainConfig);
  }

  public static TrainConfig trainConfig(Train train) {
    TrainConfig config = plainTrainConfig(train);
    return train.schedule().map(RuntimeViews::schedule).map(config::withSchedule).orElse(config);
  }

  /** A {@code schedule} statement as the runtime computes it. */
  public static LearningRateSchedule schedule(Schedule schedule) {
    return switch (schedule.kind()) {
      case STEP ->
          LearningRateSchedule.step(schedule.every(), schedule.factor(), schedule.warmup());
      case EXPONENTIAL -> LearningRateSchedule.exponential(schedule.factor(), schedule.warmup());
      case COSINE -> LearningRateSchedule.cosine(schedule.minRate(), schedule.warmup());
    };
  }

  private static TrainConfig plainTrainConfig(Train train) {
    return new TrainConfig(
        train.learningRate(),
        train.decayPerEpoch(),
        train.batchSize(),
        train.shuffle(),
        train.withReplacement(),
        train.epochs(),
        train.steps(),
        train.seed(),
        optimizerSpec(train.optimizer()));
  }

  public static OptimizerSpec optimizerSpec(Optimizer optimizer) {
    if (optimizer instanceof Optimizer.Sgd) {
      return OptimizerSpec.sgd();
    } else if (optimizer instanceof Optimizer.Momentum m) {
      return OptimizerSpec.momentum(m.momentum());
    } else if (optimizer instanceof Optimizer.Adam a) {
      return OptimizerSpec.adam(a.beta1(), a.beta2(), a.epsilon());
    } else if (optimizer instanceof Optimizer.ConjugateGradient) {
      return OptimizerSpec.conjugateGradient();
    } else if (optimizer instanceof Optimizer.Lbfgs l) {
      return OptimizerSpec.lbfgs(l.memory());
    }
    throw new AssertionError(optimizer);
  }

  /** A {@code data} or {@code validate} file as the runtime reads it. */
  public static DataFile dataFile(DataSource source) {
    if (source instanceof DataSource.Csv csv) {
      return new DataFile.Csv(csv.file(), csv.header(), csv.rows());
    } else if (source instanceof DataSource.Npz npz) {
      return new DataFile.Npz(npz.file(), npz.inputMember(), npz.targetMember(), npz.rows());
    } else if (source instanceof DataSource.Idx idx) {
      return new DataFile.Idx(idx.images(), idx.labels(), idx.scale(), idx.rows());
    }
    throw new AssertionError(source);
  }

  /** The {@code data inline} rows as a raw dataset (before powers and standardisation). */
  public static Optional<Dataset> inlineData(Model model) {
    return model.train().flatMap(Train::data).map(data -> dataset(model, data));
  }

  private static Dataset dataset(Model model, InlineData data) {
    int rows = data.rows();
    int width = model.input().rawWidth();
    double[] x = new double[rows * width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        x[r * width + c] = data.inputs().get(r).get(c);
      }
    }
    Target target = model.target();
    if (target.kind() == Target.Kind.LABELS) {
      int[] labels = data.labels().stream().mapToInt(Integer::intValue).toArray();
      return new Dataset("inline", rows, width, x, target.width(), null, labels);
    }
    double[] targets = new double[rows * target.width()];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < target.width(); c++) {
        targets[r * target.width() + c] = data.targets().get(r).get(c);
      }
    }
    return new Dataset("inline", rows, width, x, target.width(), targets, null);
  }
}
