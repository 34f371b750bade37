package dev.nnc.maven;

import dev.nnc.pipeline.GenerateConfig;
import dev.nnc.pipeline.SourceGeneration;
import java.io.File;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates the Java class of every {@code .nn} file under {@link #sourceDirectory} into {@link
 * #outputDirectory}, which becomes a compile source root. The sub-folders of the source directory
 * become the Java package: {@code src/main/nn/com/acme/Xor.nn} gives {@code com.acme.Xor}.
 *
 * <p>Only stale outputs are regenerated: missing ones, ones older than their {@code .nn} file, and
 * ones a different nnc version generated. A {@code .nn} error fails the build; the log shows each
 * diagnostic exactly as {@code nnc generate} prints it ({@code file:line:col: error: …}, the line,
 * a caret).
 *
 * <p>With {@link #inference}, each network becomes an inference-only class instead (it needs
 * nothing but the JDK: no nnc runtime on the classpath) with its trained weights as a resource
 * beside it: {@code src/main/nn/com/acme/xor.nn} and {@code src/main/nn/com/acme/xor.npz} (as
 * {@code nnc train} writes it) give {@code com.acme.Xor} and {@code com/acme/Xor.npz} in the jar.
 *
 * <p>A thin adapter: it fills a {@link GenerateConfig} and calls {@link SourceGeneration#generate},
 * as the command line does.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

  /**
   * Where the {@code .nn} files are; the folders between it and a file become the file's Java
   * package. A missing directory is logged and skipped, not an error.
   */
  @Parameter(
      property = "nn.sourceDirectory",
      defaultValue = "${basedir}/src/main/nn",
      required = true)
  File sourceDirectory;

  /** Where the generated {@code .java} files go; added to the project's compile source roots. */
  @Parameter(
      property = "nn.outputDirectory",
      defaultValue = "${project.build.directory}/generated-sources/nn",
      required = true)
  File outputDirectory;

  /**
   * A package prefix for every generated class, before the sub-folders' package; empty for none
   * (the default): the folders alone are the package.
   */
  @Parameter(property = "nn.packagePrefix", defaultValue = "")
  String packagePrefix;

  /** Regenerate every class, even those that are up to date. */
  @Parameter(property = "nn.force", defaultValue = "false")
  boolean force;

  /**
   * Generate inference-only classes (JDK only: predict, no training, no runtime dependency), each
   * with the trained weights of the {@code .npz} file of the same base name beside its {@code .nn}
   * file, copied into {@link #outputDirectory} and added to the project's resources.
   */
  @Parameter(property = "nn.inference", defaultValue = "false")
  boolean inference;

  /** Skip the goal: nothing is generated, and no source root is added. */
  @Parameter(property = "nn.skip", defaultValue = "false")
  boolean skip;

  /** The project being built; its compile source roots get {@link #outputDirectory}. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Override
  public void execute() throws MojoFailureException {
    if (skip) {
      getLog().info("nnc: skipped (nn.skip)");
      return;
    }
    if (!sourceDirectory.isDirectory()) {
      getLog().info("nnc: no .nn files: " + sourceDirectory + " does not exist");
      return;
    }
    GenerateConfig config =
        GenerateConfig.ofSourceDirectory(sourceDirectory.toPath(), outputDirectory.toPath())
            .withPackageName(packagePrefix == null ? "" : packagePrefix.strip())
            .withForce(force);
    if (inference) {
      config = config.withInferenceWeightsBesideSources();
    }
    SourceGeneration.Result result =
        SourceGeneration.generate(
            config,
            text -> {
              if (text.contains(": warning: ")) {
                getLog().warn(text);
              } else {
                getLog().error(text);
              }
            });
    if (!result.ok()) {
      int count = result.errors();
      throw new MojoFailureException(
          "nnc: "
              + count
              + (count == 1 ? " error" : " errors")
              + " in "
              + result.failed().size()
              + " of the .nn files under "
              + sourceDirectory
              + " (see the log above)");
    }
    for (var written : result.written()) {
      getLog().info("nnc: wrote " + written);
    }
    getLog()
        .info(
            "nnc: "
                + result.written().size()
                + " generated, "
                + result.upToDate().size()
                + " up to date, in "
                + outputDirectory);
    project.addCompileSourceRoot(outputDirectory.getPath());
    if (inference) {
      // the weights resources written beside the classes go into the jar beside them
      Resource weights = new Resource();
      weights.setDirectory(outputDirectory.getPath());
      weights.addInclude("**/*.npz");
      project.addResource(weights);
    }
  }
}
