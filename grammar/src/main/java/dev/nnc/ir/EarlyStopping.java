package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * {@code stop early(patience = 5, monitor = val_loss, min_delta = 0) restore best}: end training
 * when the monitored figure has not improved by more than {@code minDelta} for {@code patience}
 * epochs; with {@code restore best}, the network ends at the parameters of its best epoch.
 *
 * @param monitor {@code val_loss}, {@code loss}, or a metric of the history ({@code val_accuracy},
 *     {@code val_rmse}, {@code train_f1}, …)
 */
public record EarlyStopping(
    int patience, String monitor, double minDelta, boolean restoreBest, Span span) {}
