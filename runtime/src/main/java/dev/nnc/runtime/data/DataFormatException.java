package dev.nnc.runtime.data;

/**
 * A data file that cannot be read as asked: wrong magic, truncated data, an unsupported dtype, a
 * missing member. The message always names the file (and the member, inside an archive) and says
 * what is wrong, e.g. {@code S1_init.npz: member 'W': expected dtype <f8, found |O}.
 */
public class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
