package dev.jnmt.spark;

import dev.jnmt.tools.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/** A shared local[2] session and helpers for the tests. */
public final class LocalSpark {

  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  static final Path MODEL = ROOT.resolve("models/multi30k-en-de");
  static final Path TEST_EN = ROOT.resolve("test-data/multi30k/test2016.en");
  static final Path TEST_DE = ROOT.resolve("test-data/multi30k/test2016.de");
  static final Path BEAM4_DE = ROOT.resolve("test-data/multi30k/test2016.reference.beam4.de");

  private static SparkSession spark;

  private LocalSpark() {}

  public static synchronized SparkSession session() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("jnmt-spark tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "4")
              .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> spark.stop()));
    }
    return spark;
  }

  /** Runs the jnmt CLI in-process; returns its stdout. */
  static String cli(String... args) {
    PrintStream orig = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int rc = Main.execute(args);
      if (rc != 0) {
        throw new AssertionError("jnmt " + String.join(" ", args) + " exited with " + rc);
      }
    } finally {
      System.setOut(orig);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The bytes of a job's output for one input: the merged file or its parts in order. */
  static byte[] output(Path dir, String name) throws IOException {
    Path p = dir.resolve(name);
    if (Files.isRegularFile(p)) {
      return Files.readAllBytes(p);
    }
    List<Path> parts;
    try (Stream<Path> s = Files.list(p)) {
      parts = s.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Path part : parts) {
      all.writeBytes(Files.readAllBytes(part));
    }
    return all.toByteArray();
  }

  /** Every file under a directory, relative, sorted. */
  static List<String> tree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      List<String> out = new ArrayList<>();
      s.filter(Files::isRegularFile).forEach(f -> out.add(dir.relativize(f).toString()));
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
