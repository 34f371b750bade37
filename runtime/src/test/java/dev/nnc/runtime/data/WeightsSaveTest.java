package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.NetworkSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsSaveTest {
  @TempDir Path temp;

  @Test
  void whatSaveWritesLoadReadsBack() throws IOException {
    LinearNetwork trained = new LinearNetwork(2, 3, 4);
    double[] parameters = {1, 2, 3, 4, 5, 6, 0.5, -0.5, 0.25};
    trained.setParameters(parameters);
    Path file = temp.resolve("linear.npz");
    Weights.save(file, trained, Preprocessing.fit(trained.spec(), data()));

    Map<String, NpyArray> arrays = Npz.read(file);
    assertThat(arrays.keySet()).containsExactly("out.W", "out.b").inOrder();
    assertThat(arrays.get("out.W").shape()).isEqualTo(new int[] {2, 3});
    LinearNetwork loaded = new LinearNetwork(2, 3, 4);
    Weights.load(file, loaded);
    double[] back = new double[parameters.length];
    loaded.getParameters(back);
    assertThat(back).isEqualTo(parameters);
    NetworkSpec spec = loaded.spec();
    assertThat(spec.parameterCount()).isEqualTo(9);
  }

  private static Dataset data() {
    return new Dataset("d", 1, 2, new double[] {1, 2}, 3, new double[] {0, 1, 0}, null);
  }
}
