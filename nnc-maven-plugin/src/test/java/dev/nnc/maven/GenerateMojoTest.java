package dev.nnc.maven;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateMojoTest {
  static final String XOR =
      """
      network Xor {
          input   x[2]
          dense   hidden[4]  tanh
          dense   out[1]     sigmoid
          target  t[1]
          loss    binary_cross_entropy(out, t)
      }
      """;

  @TempDir Path temp;
  GenerateMojo mojo;
  final List<String> errors = new ArrayList<>();
  final List<String> infos = new ArrayList<>();

  @BeforeEach
  void mojo() {
    mojo = new GenerateMojo();
    mojo.sourceDirectory = temp.resolve("src/main/nn").toFile();
    mojo.outputDirectory = temp.resolve("target/generated-sources/nn").toFile();
    mojo.packagePrefix = "";
    mojo.project = new MavenProject();
    mojo.setLog(
        new SystemStreamLog() {
          @Override
          public void error(CharSequence content) {
            errors.add(content.toString());
          }

          @Override
          public void info(CharSequence content) {
            infos.add(content.toString());
          }
        });
  }

  private Path write(String relative, String text) throws IOException {
    Path file = temp.resolve("src/main/nn").resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void generatesAndAddsTheOutputAsACompileSourceRoot() throws Exception {
    write("com/acme/Xor.nn", XOR);
    mojo.execute();
    assertThat(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Xor.java"))).isTrue();
    assertThat(mojo.project.getCompileSourceRoots())
        .containsExactly(mojo.outputDirectory.getPath());
    assertThat(infos.get(infos.size() - 1)).startsWith("nnc: 1 generated, 0 up to date, in ");
    assertThat(errors).isEmpty();
  }

  @Test
  void eachDiagnosticIsLoggedAsAnErrorAndTheBuildFailsWithTheCount() throws IOException {
    Path bad = write("Bad.nn", XOR.replace("tanh", "tahn").replace("sigmoid", "sigmod"));
    MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
    assertThat(failure)
        .hasMessageThat()
        .isEqualTo(
            "nnc: 2 errors in 1 of the .nn files under "
                + mojo.sourceDirectory
                + " (see the log above)");
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0))
        .isEqualTo(
            bad.toAbsolutePath()
                + ":3:24: error: unknown activation 'tahn'; expected one of identity, sigmoid,"
                + " relu, tanh, softmax [NN212]\n"
                + "    dense   hidden[4]  tahn\n"
                + "                       ^~~~");
    assertThat(mojo.project.getCompileSourceRoots()).isEmpty();
  }

  @Test
  void skipGeneratesNothingAndAddsNoSourceRoot() throws Exception {
    write("Xor.nn", XOR);
    mojo.skip = true;
    mojo.execute();
    assertThat(Files.exists(mojo.outputDirectory.toPath())).isFalse();
    assertThat(mojo.project.getCompileSourceRoots()).isEmpty();
    assertThat(infos).containsExactly("nnc: skipped (nn.skip)");
  }

  @Test
  void aMissingSourceDirectoryIsLoggedNotAnError() throws Exception {
    mojo.execute();
    assertThat(infos).hasSize(1);
    assertThat(infos.get(0)).contains("does not exist");
    assertThat(errors).isEmpty();
  }

  @Test
  void thePackagePrefixGoesBeforeTheFolders() throws Exception {
    write("nets/Xor.nn", XOR);
    mojo.packagePrefix = "com.acme";
    mojo.execute();
    assertThat(Files.readString(mojo.outputDirectory.toPath().resolve("com/acme/nets/Xor.java")))
        .contains("package com.acme.nets;");
  }
}
