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
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint of a build changes with any byte of its code, in a jar or a folder; a jar's is
 * remembered under its identity, which changes with every write of the jar.
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
    String first = BuildFingerprint.of(List.of(one), null);
    assertThat(BuildFingerprint.of(List.of(two), null)).isEqualTo(first);

    members.put("dev/nnc/emit/A.class", "generator Z"); // same size, one byte changed
    jar(two, members);
    assertThat(BuildFingerprint.of(List.of(two), null)).isNotEqualTo(first);
  }

  @Test
  void aJarsFingerprintIsRememberedUnderItsIdentityOnly() throws Exception {
    assumeTrue(
        folder.getFileSystem().supportedFileAttributeViews().contains("unix"),
        "jars are remembered by their attributes only where the file system has unix ones");
    Path memory = folder.resolve("cache");
    Map<String, String> members = new TreeMap<>();
    members.put("dev/nnc/emit/A.class", "generator A");
    Path jar = folder.resolve("nnc.jar");
    jar(jar, members);
    String contents = BuildFingerprint.jarContents(jar);
    assertThat(BuildFingerprint.jar(jar, memory)).isEqualTo(contents);
    List<Path> memos;
    try (Stream<Path> files = Files.list(memory)) {
      memos = files.toList();
    }
    assertThat(memos).hasSize(1);
    List<String> memo = Files.readAllLines(memos.get(0));
    assertThat(memo).containsExactly(BuildFingerprint.identity(jar), contents).inOrder();

    // the memo is what a later run reads: a made-up fingerprint in it is returned...
    String madeUp = "0".repeat(64);
    Files.write(memos.get(0), List.of(memo.get(0), madeUp));
    assertThat(BuildFingerprint.jar(jar, memory)).isEqualTo(madeUp);
    // ...but not once the jar was written again, even with its old modification time
    FileTime modified = Files.getLastModifiedTime(jar);
    Thread.sleep(5);
    members.put("dev/nnc/emit/A.class", "generator Z");
    jar(jar, members);
    Files.setLastModifiedTime(jar, modified);
    String rebuilt = BuildFingerprint.jar(jar, memory);
    assertThat(rebuilt).isNotEqualTo(madeUp);
    assertThat(rebuilt).isEqualTo(BuildFingerprint.jarContents(jar));
    assertThat(rebuilt).isNotEqualTo(contents);
    // a copy is another identity with the same contents: the same fingerprint
    Path copy = folder.resolve("copy.jar");
    Files.copy(jar, copy, StandardCopyOption.COPY_ATTRIBUTES);
    assertThat(BuildFingerprint.identity(copy)).isNotEqualTo(BuildFingerprint.identity(jar));
    assertThat(BuildFingerprint.jar(copy, memory)).isEqualTo(rebuilt);
  }

  @Test
  void aFoldersFingerprintFollowsItsFiles() throws Exception {
    Path classes = folder.resolve("classes");
    Files.createDirectories(classes.resolve("dev/nnc"));
    Files.writeString(classes.resolve("dev/nnc/A.class"), "generator A");
    String first = BuildFingerprint.of(List.of(classes), null);
    assertThat(BuildFingerprint.of(List.of(classes), null)).isEqualTo(first);
    Files.writeString(classes.resolve("dev/nnc/A.class"), "generator Z");
    String changed = BuildFingerprint.of(List.of(classes), null);
    assertThat(changed).isNotEqualTo(first);
    Files.writeString(classes.resolve("dev/nnc/B.class"), "");
    assertThat(BuildFingerprint.of(List.of(classes), null)).isNotEqualTo(changed);
  }
}
