package dev.nnc.runtime;

/** Draws initial parameters as each tensor's {@link InitSpec} says, tensor by tensor in order. */
public final class Initializer {
  private Initializer() {}

  /** A new flat parameter vector for {@code spec}, drawn from {@code seed}. */
  public static double[] initialize(NetworkSpec spec, long seed) {
    Rng rng = new Rng(seed);
    double[] flat = new double[spec.parameterCount()];
    for (TensorSpec tensor : spec.tensors()) {
      fill(tensor, rng, flat);
    }
    return flat;
  }

  private static void fill(TensorSpec tensor, Rng rng, double[] flat) {
    InitSpec init = tensor.init();
    int from = tensor.offset();
    int to = from + tensor.size();
    switch (init.kind()) {
      case UNIFORM -> {
        for (int i = from; i < to; i++) {
          flat[i] = init.a() + (init.b() - init.a()) * rng.nextDouble();
        }
      }
      case NORMAL -> {
        for (int i = from; i < to; i++) {
          flat[i] = init.a() + init.b() * rng.nextGaussian();
        }
      }
      case CONSTANT -> java.util.Arrays.fill(flat, from, to, init.a());
      case XAVIER -> {
        double limit = Math.sqrt(6.0 / (tensor.fanIn() + tensor.fanOut()));
        for (int i = from; i < to; i++) {
          flat[i] = -limit + 2 * limit * rng.nextDouble();
        }
      }
      case HE -> {
        double std = Math.sqrt(2.0 / tensor.fanIn());
        for (int i = from; i < to; i++) {
          flat[i] = std * rng.nextGaussian();
        }
      }
      case VALUES -> {
        double[] values = init.values();
        if (values.length != tensor.size()) {
          throw new IllegalArgumentException(
              tensor.name()
                  + ": "
                  + values.length
                  + " initial values for "
                  + tensor.size()
                  + " entries");
        }
        System.arraycopy(values, 0, flat, from, values.length);
      }
    }
  }
}
