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
 * The loss curve of a training run drawn with XChart: the mean loss per epoch, on a log scale when
 * it falls by more than two orders of magnitude; otherwise with the accuracies (training,
 * validation) on a second axis at the right when they were measured. Written as PNG, or SVG.
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
    List<Double> training = new ArrayList<>();
    List<Double> validation = new ArrayList<>();
    double smallest = Double.POSITIVE_INFINITY;
    double largest = 0;
    boolean fullBatchOptimizer = false;
    for (EpochRecord record : history.epochs()) {
      double loss = record.meanLoss();
      if (!Double.isFinite(loss)) {
        continue;
      }
      epochs.add((double) record.epoch());
      losses.add(loss);
      training.add(100 * record.trainAccuracy());
      validation.add(100 * record.validationAccuracy());
      smallest = Math.min(smallest, Math.abs(loss));
      largest = Math.max(largest, Math.abs(loss));
      fullBatchOptimizer |= Double.isNaN(record.learningRate());
    }
    XYChart chart =
        new XYChartBuilder()
            .width(720)
            .height(420)
            .title(name + ": " + (fullBatchOptimizer ? "cost" : "mean loss") + " per epoch")
            .xAxisTitle("epoch")
            .yAxisTitle(fullBatchOptimizer ? "cost" : "loss")
            .build();
    XYStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setAntiAlias(true);
    boolean logarithmic = smallest > 0 && largest / smallest > 100;
    styler.setYAxisLogarithmic(logarithmic);
    if (!logarithmic) {
      styler.setYAxisDecimalPattern("0.###");
    }
    styler.setXAxisDecimalPattern("#");
    styler.setXAxisMin(epochs.isEmpty() ? 0.0 : epochs.get(0));
    styler.setXAxisTickMarkSpacingHint(90);
    styler.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    XYSeries loss = chart.addSeries("loss", epochs, losses);
    loss.setMarker(epochs.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    loss.setLineColor(new Color(0x1f77b4));
    loss.setMarkerColor(new Color(0x1f77b4));
    loss.setLineStyle(new BasicStroke(2f));
    if (!logarithmic) {
      // XChart's log scale is for every axis: accuracies go on a second, linear axis only here.
      addAccuracy(chart, "training accuracy %", epochs, training, new Color(0x2ca02c));
      addAccuracy(chart, "validation accuracy %", epochs, validation, new Color(0xd62728));
    }
    return chart;
  }

  private static void addAccuracy(
      XYChart chart, String title, List<Double> epochs, List<Double> values, Color color) {
    if (values.stream().allMatch(v -> Double.isNaN(v))) {
      return;
    }
    XYSeries series = chart.addSeries(title, epochs, values);
    series.setYAxisGroup(1);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    chart.setYAxisGroupTitle(1, "accuracy %");
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
