package dev.nnc.runtime.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temporary file of an atomic write gets the permissions its result should have, not 0600. */
class AtomicFilesTest {
  @TempDir Path folder;

  @Test
  void aNewFileGetsWhatAnyNewFileGets() throws IOException {
    assumeTrue(Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null, "POSIX");
    Path plain = Files.createFile(folder.resolve("plain"));
    Path temporary = AtomicFiles.temporarySibling(folder.resolve("weights.npz"));
    assertThat(temporary.getParent()).isEqualTo(folder.toAbsolutePath());
    assertThat(temporary.getFileName().toString()).startsWith(".weights.npz.");
    assertThat(Files.getPosixFilePermissions(temporary))
        .isEqualTo(Files.getPosixFilePermissions(plain));
    assertThat(Files.getPosixFilePermissions(temporary))
        .isNotEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void rewritingAFileKeepsItsMode() throws IOException {
    assumeTrue(Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null, "POSIX");
    Path target = Files.createFile(folder.resolve("weights.npz"));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-r--"));
    Path temporary = AtomicFiles.temporarySibling(target);
    assertThat(Files.getPosixFilePermissions(temporary))
        .isEqualTo(PosixFilePermissions.fromString("rw-rw-r--"));
  }

  @Test
  void npzWriteLeavesAReadableFileAndNoTemporary() throws IOException {
    assumeTrue(Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null, "POSIX");
    Path plain = Files.createFile(folder.resolve("plain"));
    Path file = folder.resolve("w.npz");
    Npz.write(file, Map.of("w", NpyArray.ofDoubles(new double[] {1, 2}, 2)));
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
    try (var listing = Files.list(folder)) {
      assertThat(listing.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("plain", "w.npz");
    }
  }
}
