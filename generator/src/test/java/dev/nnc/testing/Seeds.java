package dev.nnc.testing;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The seed networks as {@code .nn} text (test resources {@code seeds/S1.nn} … {@code S6.nn}, {@code
 * S2toy.nn}), written to compute exactly what the oracle computed, and their compiled models.
 */
public final class Seeds {
  /** Every seed with oracle files, in the order of docs/seeds.md. */
  public static final List<String> ALL = List.of("S1", "S2toy", "S2", "S3", "S4", "S5", "S6");

  private Seeds() {}

  /** The text of {@code seeds/<seed>.nn}. */
  public static String text(String seed) {
    String resource = "/seeds/" + seed + ".nn";
    try (InputStream in = Seeds.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code seeds/<seed>.nn} compiled; fails with the compiler's diagnostics if it does not. */
  public static Model model(String seed) {
    CompileResult result = NnCompiler.compile(seed + ".nn", text(seed));
    if (!result.ok() || result.model().isEmpty()) {
      throw new AssertionError(
          "seed " + seed + ".nn does not compile:\n" + result.formatDiagnostics());
    }
    return result.model().get();
  }
}
