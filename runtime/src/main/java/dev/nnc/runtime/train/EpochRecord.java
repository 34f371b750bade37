package dev.nnc.runtime.train;

/**
 * What one epoch of training did.
 *
 * @param epoch 1-based epoch number
 * @param steps the steps taken in it (fewer than a full epoch when a step budget ends it)
 * @param meanLoss SGD, momentum and Adam: the mean, over its steps, of the loss each step computed
 *     before its update; CG and L-BFGS (one iteration per epoch): the cost <em>after</em> the
 *     iteration, at the parameters the epoch ends with
 * @param learningRate the learning rate used throughout the epoch (decay applies after it); NaN for
 *     CG and L-BFGS, which use none
 * @param trainAccuracy accuracy on the training set after the epoch, NaN when not measured
 * @param validationAccuracy accuracy on the validation set after the epoch, NaN when there is none
 */
public record EpochRecord(
    int epoch,
    int steps,
    double meanLoss,
    double learningRate,
    double trainAccuracy,
    double validationAccuracy) {}
