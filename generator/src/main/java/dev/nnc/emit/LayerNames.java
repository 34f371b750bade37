package dev.nnc.emit;

/**
 * The Java names of everything one dense layer owns in the generated class.
 *
 * @param inConstant {@code HIDDEN_IN}, its fan-in
 * @param outConstant {@code HIDDEN_OUT}, its width
 * @param weights {@code hiddenW}, W as rows (in × out)
 * @param bias {@code hiddenB}, or null for {@code nobias}
 * @param weightGradient {@code dHiddenW}
 * @param biasGradient {@code dHiddenB}, or null
 * @param preActivation {@code hiddenZ}, z [maxRows][out]
 * @param activation {@code hiddenA}, a = act(z) [maxRows][out]; the same as z for identity
 * @param preActivationDelta {@code dHiddenZ}, δ = ∂loss/∂z [maxRows][out]
 * @param activationDelta {@code dHiddenA}, ∂loss/∂a [maxRows][out]; the same as δ for identity
 * @param forward {@code hiddenForward}
 * @param backward {@code hiddenBackward}
 * @param transposedWeights {@code outWT}, a copy of Wᵀ (out × in) for the axpy form of dx; null for
 *     the first layer (no dx) and for unrolled layers
 * @param gradients {@code hiddenGradients}, the method writing dW and db once every row's δ is
 *     known
 * @param dropped {@code hiddenD}, the output the next layer reads under {@code dropout(p)}: a ⊙
 *     mask in training, a copy of a otherwise [maxRows][out]; null without dropout
 * @param mask {@code hiddenM}, the mask of the last training forward pass: 0 or 1/(1 − p)
 *     [maxRows][out]; null without dropout
 * @param keepThreshold {@code HIDDEN_KEEP_THRESHOLD}, ⌈p · 2⁵³⌉ ({@link
 *     dev.nnc.runtime.Dropout#keep}); null without dropout
 * @param keepScale {@code HIDDEN_KEEP_SCALE}, 1/(1 − p); null without dropout
 */
record LayerNames(
    String inConstant,
    String outConstant,
    String weights,
    String bias,
    String weightGradient,
    String biasGradient,
    String preActivation,
    String activation,
    String preActivationDelta,
    String activationDelta,
    String forward,
    String backward,
    String transposedWeights,
    String gradients,
    String dropped,
    String mask,
    String keepThreshold,
    String keepScale) {

  /** What the next layer reads: the dropped output, or a. */
  String output() {
    return dropped != null ? dropped : activation;
  }
}
