package dev.nnc.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What to generate, filled by the {@code nnc generate} command and by the Maven plugin alike, and
 * run by {@link SourceGeneration#generate}.
 *
 * @param sourceDirectory the source root: the sub-folders between it and a {@code .nn} file become
 *     the Java package (after {@code packageName}), and every file must lie inside it; empty when
 *     the files are given one by one and their package is {@code packageName} alone
 * @param sources the {@code .nn} files; empty with a source directory means every {@code .nn} file
 *     under it
 * @param outputDirectory the generated source root; classes go under their package folders
 * @param packageName the package of the generated classes (with a source directory: the prefix of
 *     the sub-folders' package); {@code ""} for none
 * @param force regenerate even the outputs that are up to date
 * @param inferenceWeights when present, generate the inference-only class (JDK only, no runtime)
 *     with these trained weights copied as {@code <Name>.npz} beside it; otherwise the trainer
 * @param inferenceBesideSources generate the inference-only class of every network, each with the
 *     weights in the {@code .npz} file of the same base name beside its {@code .nn} file ({@code
 *     xor.nn}: {@code xor.npz}); the Maven plugin's {@code inference} mode
 */
public record GenerateConfig(
    Optional<Path> sourceDirectory,
    List<Path> sources,
    Path outputDirectory,
    String packageName,
    boolean force,
    Optional<Path> inferenceWeights,
    boolean inferenceBesideSources) {

  public GenerateConfig {
    sources = List.copyOf(sources);
    if (sourceDirectory.isEmpty() && sources.isEmpty()) {
      throw new IllegalArgumentException("no source directory and no .nn files");
    }
    if (inferenceWeights.isPresent() && inferenceBesideSources) {
      throw new IllegalArgumentException("inference weights given and beside the sources");
    }
  }

  /** Whether the inference-only classes are generated (with either kind of weights). */
  public boolean inference() {
    return inferenceWeights.isPresent() || inferenceBesideSources;
  }

  /** The weights of the inference class of {@code source}: as given, or beside it. */
  Path inferenceWeightsOf(Path source) {
    if (inferenceWeights.isPresent()) {
      return inferenceWeights.get();
    }
    String name = source.getFileName().toString();
    String base = name.endsWith(".nn") ? name.substring(0, name.length() - 3) : name;
    return source.resolveSibling(base + ".npz");
  }

  /** Every {@code .nn} file under {@code sourceDirectory}, sub-folders as packages. */
  public static GenerateConfig ofSourceDirectory(Path sourceDirectory, Path outputDirectory) {
    return new GenerateConfig(
        Optional.of(sourceDirectory),
        List.of(),
        outputDirectory,
        "",
        false,
        Optional.empty(),
        false);
  }

  /** The given files, their classes in {@code packageName}. */
  public static GenerateConfig ofFiles(List<Path> files, Path outputDirectory, String packageName) {
    return new GenerateConfig(
        Optional.empty(), files, outputDirectory, packageName, false, Optional.empty(), false);
  }

  public GenerateConfig withForce(boolean newForce) {
    return new GenerateConfig(
        sourceDirectory,
        sources,
        outputDirectory,
        packageName,
        newForce,
        inferenceWeights,
        inferenceBesideSources);
  }

  public GenerateConfig withPackageName(String newPackageName) {
    return new GenerateConfig(
        sourceDirectory,
        sources,
        outputDirectory,
        newPackageName,
        force,
        inferenceWeights,
        inferenceBesideSources);
  }

  public GenerateConfig withSources(List<Path> newSources) {
    return new GenerateConfig(
        sourceDirectory,
        newSources,
        outputDirectory,
        packageName,
        force,
        inferenceWeights,
        inferenceBesideSources);
  }

  public GenerateConfig withInferenceWeights(Path weights) {
    return new GenerateConfig(
        sourceDirectory, sources, outputDirectory, packageName, force, Optional.of(weights), false);
  }

  /** Inference-only classes, each with the {@code .npz} of its {@code .nn} file's base name. */
  public GenerateConfig withInferenceWeightsBesideSources() {
    return new GenerateConfig(
        sourceDirectory, sources, outputDirectory, packageName, force, Optional.empty(), true);
  }
}
