/**
 * A named module using nnc: the trainer class needs the runtime (its Automatic-Module-Name), the
 * inference-only class nothing but java.base. No {@code requires static java.compiler}.
 */
module com.acme.app {
  requires dev.nnc.runtime;

  exports com.acme.train;
  exports com.acme.infer;
}
