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
    String gradients) {}
