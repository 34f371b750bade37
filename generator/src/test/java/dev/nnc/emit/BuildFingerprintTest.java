package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint of a build changes with any byte of its code, in a jar or a folder, and a jar's
 * identity with every write of it.
 */
class BuildFingerprintTest {
  @TempDir Path folder;

  private static void jar(Path file, Map<String, String> members) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> m : members.entrySet()) {
        zip.putNextEntry(new ZipEntry(m.getKey()));
        zip.write(m.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
  }

  @Test
  void aJarsFingerprintFollowsItsContentsNotItsFile() throws Exception {
    Map<String, String> members = new TreeMap<>();
    members.put("dev/nnc/emit/A.class", "generator A");
    members.put("dev/nnc/runtime/B.class", "runtime B");
    Path one = folder.resolve("one.jar");
    Path two = folder.resolve("two.jar");
    jar(one, members);
    jar(two, members);
    String first = BuildFingerprint.of(List.of(one), false);
    assertThat(BuildFingerprint.of(List.of(two), false)).isEqualTo(first);

    members.put("dev/nnc/emit/A.class", "generator Z"); // same size, one byte changed
    jar(two, members);
    assertThat(BuildFingerprint.of(List.of(two), false)).isNotEqualTo(first);
  }

  @Test
  void aJarsIdentityChangesWithEveryWrite() throws Exception {
    assumeTrue(
        folder.getFileSystem().supportedFileAttributeViews().contains("unix"),
        "jars are identified by their attributes only where the file system has unix ones");
    Map<String, String> members = new TreeMap<>();
    members.put("dev/nnc/emit/A.class", "generator A");
    Path one = folder.resolve("one.jar");
    jar(one, members);
    String first = BuildFingerprint.of(List.of(one));
    assertThat(BuildFingerprint.of(List.of(one))).isEqualTo(first);
    assertThat(first).isNotEqualTo(BuildFingerprint.of(List.of(one), false));

    // the same bytes written again (a rebuild), with the old modification time put back
    FileTime modified = Files.getLastModifiedTime(one);
    Thread.sleep(5);
    jar(one, members);
    Files.setLastModifiedTime(one, modified);
    assertThat(BuildFingerprint.of(List.of(one))).isNotEqualTo(first);
    // another file with the same bytes
    Path copy = folder.resolve("copy.jar");
    Files.copy(one, copy, StandardCopyOption.COPY_ATTRIBUTES);
    assertThat(BuildFingerprint.of(List.of(copy))).isNotEqualTo(BuildFingerprint.of(List.of(one)));
  }

  @Test
  void aFoldersFingerprintFollowsItsFiles() throws Exception {
    Path classes = folder.resolve("classes");
    Files.createDirectories(classes.resolve("dev/nnc"));
    Files.writeString(classes.resolve("dev/nnc/A.class"), "generator A");
    String first = BuildFingerprint.of(List.of(classes));
    assertThat(BuildFingerprint.of(List.of(classes))).isEqualTo(first);
    Files.writeString(classes.resolve("dev/nnc/A.class"), "generator Z");
    String changed = BuildFingerprint.of(List.of(classes));
    assertThat(changed).isNotEqualTo(first);
    Files.writeString(classes.resolve("dev/nnc/B.class"), "");
    assertThat(BuildFingerprint.of(List.of(classes))).isNotEqualTo(changed);
  }
}
