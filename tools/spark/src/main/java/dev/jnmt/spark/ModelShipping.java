package dev.jnmt.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Ships a model directory with the job. Spark's {@code addFile} refuses a local directory on a cluster,
 * so a local model is packed into an uncompressed zip in the driver's temporary directory and added with
 * {@code addArchive}: every executor unpacks it once into its {@code SparkFiles} root, where {@link
 * ModelRef#resolve} finds it by name. A model on a Hadoop file system ({@code hdfs://...}) is added as a
 * directory. The zip is deleted when the driver exits.
 */
final class ModelShipping {

  private ModelShipping() {}

  static ModelRef ship(JavaSparkContext sc, String model) {
    if (model.contains("://") && !model.startsWith("file:")) {
      sc.sc().addFile(model, true);
      String name = model.replaceAll("/+$", "");
      return ModelRef.shipped(name.substring(name.lastIndexOf('/') + 1));
    }
    Path dir = Path.of(model).toAbsolutePath().normalize();
    try {
      Path tmp = Files.createTempDirectory("jnmt-spark-model-");
      Path zip = tmp.resolve(dir.getFileName() + ".zip");
      zip(dir, zip);
      zip.toFile().deleteOnExit();
      tmp.toFile().deleteOnExit();
      sc.sc().addArchive(zip.toString());
      return ModelRef.shipped(zip.getFileName().toString());
    } catch (IOException e) {
      throw new JobError("model " + model + ": cannot pack it for shipping: " + e.getMessage(), e);
    }
  }

  /** The regular files of {@code dir} (not recursive: a model directory is flat), stored uncompressed. */
  private static void zip(Path dir, Path zip) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream raw = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(raw)) {
      out.setMethod(ZipOutputStream.STORED);
      for (Path f : files) {
        byte[] bytes = Files.readAllBytes(f);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipEntry e = new ZipEntry(f.getFileName().toString());
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        e.setCrc(crc.getValue());
        out.putNextEntry(e);
        out.write(bytes);
        out.closeEntry();
      }
    }
  }
}
