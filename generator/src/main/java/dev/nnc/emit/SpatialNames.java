package dev.nnc.emit;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Spatial;

/**
 * The Java names of everything one conv or pool layer owns in the generated class. Buffers are
 * [maxRows][C·H·W], each row an image flattened row-major.
 *
 * @param inConstant {@code C1_IN}, values per row it reads
 * @param outConstant {@code C1_OUT}, values per row it writes
 * @param filtersConstant {@code C1_FILTERS}, out_ch (conv only, else null)
 * @param patchConstant {@code C1_PATCH}, in_ch·kh·kw (conv only)
 * @param weights {@code c1W}, the kernel as rows (out_ch × in_ch·kh·kw), PyTorch's layout (conv)
 * @param bias {@code c1B}, or null
 * @param weightGradient {@code dC1W} (conv)
 * @param biasGradient {@code dC1B}, or null
 * @param preActivation {@code c1Z}: z of a conv, the output of a pool
 * @param activation {@code c1A}: a = act(z); the same as z for identity and for pools
 * @param preActivationDelta {@code dC1Z}, δ = ∂loss/∂z
 * @param activationDelta {@code dC1A}, ∂loss/∂a; the same as δ for identity and for pools
 * @param argmax {@code p1Arg}, where each window's first maximum is (max pooling only)
 * @param gradients {@code c1Gradients}, dK and db once every row's δ is known (conv)
 * @param scratch {@code c1Scratch}, the per-thread im2col buffers of a conv (conv only)
 */
record SpatialNames(
    String inConstant,
    String outConstant,
    String filtersConstant,
    String patchConstant,
    String weights,
    String bias,
    String weightGradient,
    String biasGradient,
    String preActivation,
    String activation,
    String preActivationDelta,
    String activationDelta,
    String argmax,
    String forward,
    String backward,
    String gradients,
    String scratch) {

  static SpatialNames allocate(Spatial layer, String stem, JavaNames names) {
    String capital = JavaNames.capitalize(stem);
    String constant = JavaNames.upperSnake(stem);
    String in = names.allocate(constant + "_IN");
    String out = names.allocate(constant + "_OUT");
    if (layer instanceof Conv conv) {
      boolean identity = conv.activation() == Activation.IDENTITY;
      String z = names.allocate(stem + "Z");
      String dz = names.allocate("d" + capital + "Z");
      return new SpatialNames(
          in,
          out,
          names.allocate(constant + "_FILTERS"),
          names.allocate(constant + "_PATCH"),
          names.allocate(stem + "W"),
          conv.bias() ? names.allocate(stem + "B") : null,
          names.allocate("d" + capital + "W"),
          conv.bias() ? names.allocate("d" + capital + "B") : null,
          z,
          identity ? z : names.allocate(stem + "A"),
          dz,
          identity ? dz : names.allocate("d" + capital + "A"),
          null,
          names.allocate(stem + "Forward"),
          names.allocate(stem + "Backward"),
          names.allocate(stem + "Gradients"),
          names.allocate(stem + "Scratch"));
    }
    Pool pool = (Pool) layer;
    String a = names.allocate(stem + "A");
    String da = names.allocate("d" + capital + "A");
    return new SpatialNames(
        in,
        out,
        null,
        null,
        null,
        null,
        null,
        null,
        a,
        a,
        da,
        da,
        pool.max() ? names.allocate(stem + "Arg") : null,
        names.allocate(stem + "Forward"),
        names.allocate(stem + "Backward"),
        null,
        null);
  }
}
