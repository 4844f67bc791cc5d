package dev.jnmt.decoder.text;

import dev.jnmt.decoder.base.CheckpointException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * Loads the SentencePiece JNI library that {@code ai.djl.sentencepiece} bundles, without DJL's own
 * loader: that one probes for CUDA through JNA (hundreds of milliseconds per start and native-access
 * warnings on stderr), logs through SLF4J and, through {@code Ec2Utils.callHome}, may contact a server
 * when running on EC2. Only the JNI class {@code ai.djl.sentencepiece.jni.SentencePieceLibrary} is used.
 *
 * <p>The library is extracted once to {@code <cache>/sentencepiece/<version>-<platform>/} and loaded
 * from there. {@code <cache>} follows DJL's convention: the system property or environment variable
 * {@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}, or
 * {@code <java.io.tmpdir>/.djl.ai} when the home directory is not writable. Extraction writes a temporary
 * file and renames it, so concurrent first runs are safe.
 */
final class SentencePieceNative {

  private static final String RESOURCE_DIR = "native/lib/";
  private static Throwable failure;
  private static boolean loaded;

  private SentencePieceNative() {}

  /**
   * Makes sure the JNI library is loaded.
   *
   * @throws CheckpointException with a one-line message when it cannot be extracted or loaded
   */
  @SuppressWarnings("restricted") // System.load of the extracted JNI library; the launcher enables native access
  static synchronized void ensureLoaded() {
    if (loaded) {
      return;
    }
    if (failure != null) {
      throw new CheckpointException("cannot load the SentencePiece native library: " + failure.getMessage(), failure);
    }
    try {
      System.load(extract().toString());
      loaded = true;
    } catch (IOException | UnsatisfiedLinkError | IllegalStateException | SecurityException e) {
      failure = e;
      throw new CheckpointException(
          "cannot load the SentencePiece native library (" + oneLine(e.toString())
              + "); set -DDJL_CACHE_DIR to a writable directory",
          e);
    }
  }

  /** linux-x86_64 style, as DJL names its bundled builds. */
  static String classifier() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : os;
    String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch;
    return o + "-" + a;
  }

  static Path cacheDir() {
    for (String key : new String[] {"ENGINE_CACHE_DIR", "DJL_CACHE_DIR"}) {
      String v = System.getProperty(key);
      if (v == null || v.isEmpty()) {
        v = System.getenv(key);
      }
      if (v != null && !v.isEmpty()) {
        return Path.of(v);
      }
    }
    Path home = Path.of(System.getProperty("user.home", "."));
    return (Files.isWritable(home) ? home : Path.of(System.getProperty("java.io.tmpdir"))).resolve(".djl.ai");
  }

  private static Path extract() throws IOException {
    String classifier = classifier();
    String libName = System.mapLibraryName("sentencepiece_native");
    String resource = RESOURCE_DIR + classifier + "/" + libName;
    ClassLoader cl = SentencePieceNative.class.getClassLoader();
    if (cl.getResource(resource) == null) {
      throw new IllegalStateException("no bundled build for " + classifier + " (" + resource + " is not on the class path)");
    }
    String version = "unknown";
    try (InputStream in = cl.getResourceAsStream(RESOURCE_DIR + "sentencepiece.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        version = p.getProperty("version", version);
      }
    }
    Path dir = cacheDir().resolve("sentencepiece").resolve(version + "-" + classifier);
    Path target = dir.resolve(libName);
    long expectedSize = resourceSize(cl, resource);
    if (Files.isRegularFile(target) && Files.size(target) == expectedSize) {
      return target;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + libName + ".", ".tmp");
    try {
      try (InputStream in = cl.getResourceAsStream(resource)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static long resourceSize(ClassLoader cl, String resource) throws IOException {
    try (InputStream in = cl.getResourceAsStream(resource)) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
