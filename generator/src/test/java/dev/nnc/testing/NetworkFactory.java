package dev.nnc.testing;

import dev.nnc.ir.Model;
import dev.nnc.runtime.Network;

/**
 * Makes a {@link Network} for a model, with buffers for {@code maxRows} rows: the reference
 * interpreter ({@code ReferenceNetwork::new}) or a generated, compiled class. Shared checks take
 * one, so the same test runs against both.
 */
@FunctionalInterface
public interface NetworkFactory {
  Network create(Model model, int maxRows);
}
