package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprint of a build changes with any byte of its code, in a jar or a folder. */
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
    String first = BuildFingerprint.of(List.of(one));
    assertThat(BuildFingerprint.of(List.of(two))).isEqualTo(first);

    members.put("dev/nnc/emit/A.class", "generator Z"); // same size, one byte changed
    jar(two, members);
    assertThat(BuildFingerprint.of(List.of(two))).isNotEqualTo(first);
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
