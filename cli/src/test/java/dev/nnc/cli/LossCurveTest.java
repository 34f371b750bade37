package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class LossCurveTest {
  @Test
  void epochTicksAreRoundAndTheLastIsOne() {
    assertThat(LossCurve.tickStep(2000)).isEqualTo(200);
    assertThat(LossCurve.tickStep(1889)).isEqualTo(200); // axis to 2000
    assertThat(LossCurve.tickStep(30)).isEqualTo(5);
    assertThat(LossCurve.tickStep(37)).isEqualTo(5); // axis to 40
    assertThat(LossCurve.tickStep(7)).isEqualTo(1);
    assertThat(LossCurve.tickStep(101)).isEqualTo(20); // axis to 120
    assertThat(LossCurve.roundUp(37, 5)).isEqualTo(40);
    XYChart chart = LossCurve.chart("N", history(37, false));
    assertThat(chart.getStyler().getXAxisMax()).isEqualTo(40.0);
    assertThat(chart.getStyler().getXAxisMin()).isEqualTo(0.0);
  }

  @Test
  void validationLossIsACurveAndARegressionPlotsRmseNotAccuracy() {
    XYChart regression = LossCurve.chart("R", history(30, true));
    assertThat(regression.getSeriesCollection().stream().map(s -> s.getName()).toList())
        .containsExactly("training loss", "validation loss", "training RMSE", "validation RMSE")
        .inOrder();
    XYChart classifier = LossCurve.chart("C", history(30, false));
    assertThat(classifier.getSeriesCollection().stream().map(s -> s.getName()).toList())
        .containsExactly(
            "training loss", "validation loss", "training accuracy %", "validation accuracy %")
        .inOrder();
  }

  private static History history(int epochs, boolean regression) {
    List<EpochRecord> records = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      Map<String, Double> metrics =
          regression
              ? Map.of("train_rmse", 10.0 / e, "val_rmse", 12.0 / e)
              : Map.of("train_accuracy", 0.9, "val_accuracy", 0.8);
      records.add(new EpochRecord(e, 1, 1.0 / e, 0.1, 1.2 / e, metrics));
    }
    return new History(records);
  }
}
