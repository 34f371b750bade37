package dev.nnc.emit;

import com.palantir.javapoet.JavaFile;
import dev.nnc.runtime.data.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.lang.model.SourceVersion;

/** Writing generated files to disk. */
public final class Generation {
  private Generation() {}

  /**
   * Writes {@code file} to {@code outDir/<package folders>/<Name>.java} and returns that path. The
   * file appears whole or not at all: it is written to a temporary file beside it, then renamed
   * over the target (atomically where the file system can). Nothing is ever written outside {@code
   * outDir}.
   *
   * @throws IllegalArgumentException if the package or type name would leave {@code outDir}, or a
   *     package folder is a symbolic link that leads out of it
   */
  public static Path writeTo(JavaFile file, Path outDir) throws IOException {
    String pkg = file.packageName();
    String type = file.typeSpec().name();
    if ((!pkg.isEmpty() && !SourceVersion.isName(pkg)) || !SourceVersion.isIdentifier(type)) {
      throw new IllegalArgumentException("not a Java class name: " + pkg + "." + type);
    }
    Path root = outDir.toAbsolutePath().normalize();
    Path folder = pkg.isEmpty() ? root : root.resolve(pkg.replace('.', '/')).normalize();
    Path target = folder.resolve(type + ".java").normalize();
    if (!target.startsWith(root) || !target.getParent().equals(folder)) {
      throw new IllegalArgumentException(target + " is outside " + root);
    }
    Files.createDirectories(folder);
    // A package folder may be a symbolic link out of outDir: compare where the folders really are.
    if (!folder.toRealPath().startsWith(root.toRealPath())) {
      throw new IllegalArgumentException(
          folder + " leads outside " + root + " (to " + folder.toRealPath() + ")");
    }
    Path temporary = AtomicFiles.temporarySibling(target);
    try {
      Files.writeString(temporary, file.toString(), StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    return target;
  }
}
