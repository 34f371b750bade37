package dev.nnc.cli;

import dev.nnc.runtime.data.AtomicFiles;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss curves of a training run drawn with XChart: the training loss (mean per epoch) and the
 * validation loss when there is one, on a log scale when they span more than three orders of
 * magnitude (so the axis has at least three labels); otherwise with the task's metric on a second
 * axis at the right, training and validation: accuracy % for a classification, RMSE in the targets'
 * units for a regression. The epoch axis runs from 0 to a round epoch at or after the last, ticked
 * at round steps (1, 2 or 5 × 10ᵏ, at most 10 of them), so the last tick is labelled. Written as
 * PNG, or SVG.
 */
final class LossCurve {
  /** The picture formats {@code nnc train --plot} writes. */
  enum Format {
    PNG,
    SVG,
    NONE
  }

  private LossCurve() {}

  /** The chart of {@code history} for network {@code name}. */
  static XYChart chart(String name, History history) {
    List<Double> epochs = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    List<Double> validationLosses = new ArrayList<>();
    double smallest = Double.POSITIVE_INFINITY;
    double largest = 0;
    boolean fullBatchOptimizer = false;
    String metric =
        history.metricNames().stream().anyMatch(n -> n.endsWith("_rmse")) ? "rmse" : "accuracy";
    double scale = metric.equals("accuracy") ? 100 : 1;
    List<Double> training = new ArrayList<>();
    List<Double> validation = new ArrayList<>();
    for (EpochRecord record : history.epochs()) {
      double loss = record.meanLoss();
      if (!Double.isFinite(loss)) {
        continue;
      }
      epochs.add((double) record.epoch());
      losses.add(loss);
      double validationLoss = record.validationLoss();
      validationLosses.add(validationLoss);
      training.add(scale * record.metric("train_" + metric));
      validation.add(scale * record.metric("val_" + metric));
      for (double value : new double[] {loss, validationLoss}) {
        if (Double.isFinite(value)) {
          smallest = Math.min(smallest, Math.abs(value));
          largest = Math.max(largest, Math.abs(value));
        }
      }
      fullBatchOptimizer |= Double.isNaN(record.learningRate());
    }
    XYChart chart =
        new XYChartBuilder()
            .width(720)
            .height(420)
            .title(
                name + ": " + (fullBatchOptimizer ? "cost per iteration" : "mean loss per epoch"))
            .xAxisTitle(fullBatchOptimizer ? "iteration" : "epoch")
            .yAxisTitle(fullBatchOptimizer ? "cost" : "loss")
            .build();
    XYStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setAntiAlias(true);
    boolean logarithmic = smallest > 0 && largest / smallest > 1000;
    styler.setYAxisLogarithmic(logarithmic);
    if (!logarithmic) {
      styler.setYAxisDecimalPattern("0.###");
    }
    int lastEpoch = epochs.isEmpty() ? 1 : (int) Math.round(epochs.get(epochs.size() - 1));
    long step = tickStep(lastEpoch);
    styler.setXAxisDecimalPattern("#");
    styler.setXAxisMin(0.0);
    styler.setXAxisMax((double) roundUp(lastEpoch, step));
    styler.setXAxisMaxLabelCount((int) (roundUp(lastEpoch, step) / step) + 1);
    styler.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    // XChart puts ticks on the data's own x values when they are equally spaced (1, 119, 237, … for
    // 2000 epochs); a first point without a value at epoch 0.5 makes it tick at round numbers.
    epochs.add(0, 0.5);
    losses.add(0, Double.NaN);
    validationLosses.add(0, Double.NaN);
    training.add(0, Double.NaN);
    validation.add(0, Double.NaN);
    XYSeries loss = chart.addSeries("training loss", epochs, losses);
    loss.setMarker(epochs.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    loss.setLineColor(new Color(0x1f77b4));
    loss.setMarkerColor(new Color(0x1f77b4));
    loss.setLineStyle(new BasicStroke(2f));
    if (validationLosses.stream().anyMatch(Double::isFinite)) {
      XYSeries validationLoss = chart.addSeries("validation loss", epochs, validationLosses);
      validationLoss.setMarker(epochs.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
      validationLoss.setLineColor(new Color(0xff7f0e));
      validationLoss.setMarkerColor(new Color(0xff7f0e));
      validationLoss.setLineStyle(new BasicStroke(2f));
    }
    if (!logarithmic) {
      // XChart's log scale is for every axis: the metric goes on a second, linear axis only here.
      String title = metric.equals("accuracy") ? "accuracy %" : "RMSE";
      addMetric(chart, "training " + title, title, epochs, training, new Color(0x2ca02c));
      addMetric(chart, "validation " + title, title, epochs, validation, new Color(0xd62728));
    }
    return chart;
  }

  /** 1, 2 or 5 × 10ᵏ: the smallest such step that ticks 0..{@code last} at most 10 times. */
  static long tickStep(int last) {
    long power = 1;
    while (true) {
      for (long factor : new long[] {1, 2, 5}) {
        long step = factor * power;
        if (roundUp(last, step) / step <= 10) {
          return step;
        }
      }
      power *= 10;
    }
  }

  /** The first multiple of {@code step} at or after {@code value}. */
  static long roundUp(long value, long step) {
    return (value + step - 1) / step * step;
  }

  private static void addMetric(
      XYChart chart,
      String title,
      String axisTitle,
      List<Double> epochs,
      List<Double> values,
      Color color) {
    if (values.stream().allMatch(v -> Double.isNaN(v))) {
      return;
    }
    XYSeries series = chart.addSeries(title, epochs, values);
    series.setYAxisGroup(1);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    chart.setYAxisGroupTitle(1, axisTitle);
  }

  /**
   * Writes the chart of {@code history} to {@code file} (atomically: a temporary file moved over
   * it).
   */
  static void write(String name, History history, Path file, Format format) throws IOException {
    XYChart chart = chart(name, history);
    Path absolute = file.toAbsolutePath();
    Path temporary = AtomicFiles.temporarySibling(absolute);
    try {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        switch (format) {
          case PNG -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
          case SVG ->
              VectorGraphicsEncoder.saveVectorGraphic(
                  chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
          case NONE -> throw new IllegalArgumentException("no format");
        }
      }
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
