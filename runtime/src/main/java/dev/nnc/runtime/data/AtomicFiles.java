package dev.nnc.runtime.data;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temporary file of an atomic write: written beside the target, synced, then moved over it, so
 * that a failure part-way never destroys an earlier good file.
 *
 * <p>{@link Files#createTempFile} would do, but it gives the file mode 0600 (right for a file in a
 * shared /tmp, wrong for one that becomes the result): weights written into a shared folder would
 * be unreadable to everybody else. This one is created as any new file is (mode 0666 less the
 * umask, typically 0644), or with the target's own permissions when the target exists, so that
 * rewriting a file keeps its mode.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Creates an empty file {@code .<target name>.<random>.tmp} in the target's folder, with the
   * permissions described above.
   */
  public static Path temporarySibling(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path folder = absolute.getParent();
    String name = absolute.getFileName().toString();
    while (true) {
      String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
      Path temporary = folder.resolve("." + name + "." + random + ".tmp");
      try {
        Files.createFile(temporary);
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      PosixFileAttributeView view =
          Files.getFileAttributeView(absolute, PosixFileAttributeView.class);
      if (view != null && Files.isRegularFile(absolute)) {
        try {
          Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(absolute));
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(temporary);
          throw e;
        }
      }
      return temporary;
    }
  }
}
