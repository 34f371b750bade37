package dev.nnc.check;

/**
 * The words a {@code .nn} name cannot be because a generated class would not compile with them
 * (Java's keywords, literals and restricted identifiers): what the checker refuses (NN2xx), for
 * tools that make {@code .nn} files, such as {@code nnc import}, to avoid.
 */
public final class ReservedNames {
  private ReservedNames() {}

  /** Whether the checker refuses {@code name} as a Java reserved word. */
  public static boolean isJavaReserved(String name) {
    return NameSyntaxPass.JAVA_RESERVED.contains(name);
  }
}
