package dev.nnc.bench;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.pipeline.CompiledModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The six seed networks of docs/seeds.md as the benchmarks run them: their {@code .nn} files
 * (copies of the generator's test seeds, in this module's resources), each at the batch size its
 * recipe uses; and L5, LeNet-5 ({@code samples/lenet/lenet5.nn} without its data) at batch 64, the
 * step bench/lenet5_torch.py times in PyTorch.
 */
public final class SeedNetworks {
  private SeedNetworks() {}

  /**
   * A seed and the rows of one training step: the recipe's batch (S3: the 5,000-digit full batch).
   */
  public record Seed(String name, int rows, String shape) {}

  public static final List<Seed> ALL =
      List.of(
          new Seed("S1", 4, "2→1"),
          new Seed("S2", 200, "3072→100→10"),
          new Seed("S3", 5000, "400→25→10"),
          new Seed("S4", 64, "1000→100→10"),
          new Seed("S5", 10, "784→30→10"),
          new Seed("S6", 5, "2→1"),
          new Seed("L5", 64, "LeNet-5 1×28×28→10"));

  public static Seed seed(String name) {
    return ALL.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no seed " + name));
  }

  /** The checked model of seed {@code name}, in {@code f64} or {@code f32}. */
  public static Model model(String name, String precision) {
    String file = name + ".nn";
    String text;
    try (InputStream in = SeedNetworks.class.getResourceAsStream("seeds/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no seed " + name);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (precision.equals("f32")) {
      // the first statement of the network block says float; everything else is unchanged
      text = text.replaceFirst("(network\\s+\\w+\\s*\\{)", "$1\n    precision float");
    } else if (!precision.equals("f64")) {
      throw new IllegalArgumentException("precision is f64 or f32, not " + precision);
    }
    CompileResult result = NnCompiler.compile(file, text);
    if (!result.ok()) {
      throw new IllegalStateException(result.formatDiagnostics());
    }
    return result.model().orElseThrow();
  }

  /** The model generated and compiled in memory. */
  public static CompiledModel compiled(String name, String precision) {
    return CompiledModel.of(model(name, precision));
  }
}
