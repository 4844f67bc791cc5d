package dev.jnmt.spark;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * Where an executor finds the model directory: a path every node can read, or a directory shipped with
 * the job ({@code SparkContext.addFile(dir, true)} / {@code spark-submit --files}) and found by its name
 * with {@link SparkFiles#get}.
 *
 * @param path the local path, or the shipped directory's file name
 * @param shipped whether {@code path} is a name under {@link SparkFiles#getRootDirectory()}
 */
public record ModelRef(String path, boolean shipped) implements Serializable {

  public static ModelRef shared(String path) {
    return new ModelRef(path, false);
  }

  public static ModelRef shipped(String name) {
    return new ModelRef(name, true);
  }

  /** The local directory on this JVM (driver or executor). */
  public Path resolve() {
    Path p = shipped ? Path.of(SparkFiles.get(path)) : Path.of(path);
    if (!Files.isDirectory(p)) {
      throw new JobError(
          "model "
              + path
              + (shipped ? " (shipped with the job, expected at " + p + ")" : "")
              + ": not a directory on this node");
    }
    return p;
  }

  /** The local file on this JVM (for a single shipped or shared file such as a shortlist). */
  public Path resolveFile() {
    Path p = shipped ? Path.of(SparkFiles.get(path)) : Path.of(path);
    if (!Files.isRegularFile(p)) {
      throw new JobError(path + (shipped ? " (shipped with the job, expected at " + p + ")" : "") + ": not a file on this node");
    }
    return p;
  }

  @Override
  public String toString() {
    return shipped ? "shipped:" + path : path;
  }
}
