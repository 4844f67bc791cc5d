// Over 400 lines: one conversion is one transaction (read, quantize, calibrate, write to a temporary sibling,
// reload to check, rename); its steps share the request and the cleanup.
package dev.jnmt.decoder.convert;

import dev.jnmt.decoder.model.LayerLoader;
import dev.jnmt.decoder.io.QuantFormat;
import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
import dev.jnmt.decoder.io.DType;
import dev.jnmt.decoder.io.MarianCheckpoint;
import dev.jnmt.decoder.io.MarianNames;
import dev.jnmt.decoder.io.SafetensorsFile;
import dev.jnmt.decoder.io.SafetensorsWriter;
import dev.jnmt.decoder.io.TensorInfo;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.model.QuantizedDense;
import dev.jnmt.intgemm.Int8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code jnmt convert}: writes an annotated, int8 or int16 checkpoint ({@link QuantFormat}) from a float32
 * (or annotated) MarianMT directory.
 *
 * <p>Quantized: every attention projection and FFN matrix, and the output layer unless {@link
 * Request#keepOutputFloat()} (with a tied output layer that matrix is the embedding, stored quantized too);
 * everything else (LayerNorm, biases, final_logits_bias, untied embeddings) is copied unchanged. Weight
 * multipliers are those the loader computes for a float32 checkpoint, so an int8 file translates exactly
 * as its annotated twin and as the float32 model quantized at load (same activation scales given).
 *
 * <p>Safety: the source is never written; the output directory must not be the source, must not contain it,
 * and must be absent or empty unless {@link Request#force()}; everything is written into a temporary
 * sibling directory that is then renamed into place, so a failed conversion leaves nothing half-written.
 */
public final class CheckpointConverter {

  private CheckpointConverter() {}

  /**
   * What to convert.
   *
   * @param from the source model directory
   * @param to the output directory
   * @param format annotated, int8 or int16
   * @param calibration sample text (one sentence per line) to calibrate activation scales, or null
   * @param calibrationOptions search settings of the calibration run, or null for the model's defaults
   * @param keepOutputFloat keep the output layer float32
   * @param force replace a non-empty output directory
   * @param tool the writing tool and version, for the metadata
   * @param threads worker threads for calibration
   * @param log progress messages (stderr in the CLI)
   */
  public record Request(
      Path from,
      Path to,
      QuantFormat format,
      Path calibration,
      TranslationOptions calibrationOptions,
      boolean keepOutputFloat,
      boolean force,
      String tool,
      int threads,
      Consumer<String> log) {}

  /**
   * What was written.
   *
   * @param quantized number of quantized matrices
   * @param activationScales number of activation multipliers written
   * @param bytes size of the written model.safetensors
   * @param sourceBytes size of the source weights
   */
  public record Result(int quantized, int activationScales, long bytes, long sourceBytes) {}

  /**
   * Converts.
   *
   * @throws CheckpointException with a one-line message; {@link SettingException} for a bad request field
   *     (format, force, calibration); IllegalArgumentException for output paths that would overwrite the input
   */
  public static Result convert(Request r) throws IOException {
    if (r.format() == QuantFormat.FLOAT32) {
      throw SettingException.of(Setting.FORMAT, "must be annotated, int8 or int16, got " + r.format().cliName());
    }
    Path from = r.from().toAbsolutePath().normalize();
    Path to = r.to().toAbsolutePath().normalize();
    checkPaths(from, to, r.force());
    List<String> sample = r.calibration() == null ? null : readCalibration(r.calibration());
    try (MarianCheckpoint ck = MarianCheckpoint.open(from)) {
      QuantFormat source = QuantFormat.of(ck);
      if (source == QuantFormat.INT8 || source == QuantFormat.INT16) {
        throw new CheckpointException(
            from + ": the weights are already quantized (" + source.cliName() + "); convert the float32 model instead");
      }
      MarianConfig config = ck.config();
      Map<String, Float> actScales = new LinkedHashMap<>();
      String calibration;
      if (sample != null) {
        TranslationOptions options =
            r.calibrationOptions() != null ? r.calibrationOptions() : TranslationOptions.of(ck.generationConfig());
        r.log().accept("calibrating activation scales on " + sample.size() + " lines of " + r.calibration()
            + " (beam " + options.beamSize() + ", mini-batch " + options.miniBatch() + ")");
        long t0 = System.nanoTime();
        Calibrator.run(ck, sample, options, r.threads())
            .forEach((layer, s) -> {
              float q = s.quantMult();
              if (!Float.isNaN(q)) {
                actScales.put(layer, q);
              }
            });
        r.log().accept(String.format(Locale.ROOT, "calibrated %d layers in %.1f s", actScales.size(), (System.nanoTime() - t0) / 1e9));
        calibration = r.calibration().getFileName() + " (" + sample.size() + " lines, sha256 " + sha256(List.of(r.calibration()))
            + ", beam " + options.beamSize() + ", mini-batch " + options.miniBatch() + ", alpha = mean + 1.1 std of per-call max|A|)";
      } else {
        // An annotated source keeps its calibration.
        for (String n : ck.names()) {
          if (n.endsWith(QuantFormat.ACT_SCALE_SUFFIX)) {
            actScales.put(n.substring(0, n.length() - QuantFormat.ACT_SCALE_SUFFIX.length()), ck.floats(n, 1)[0]);
          }
        }
        calibration = actScales.isEmpty() ? "none" : ck.metadata().getOrDefault(QuantFormat.KEY_CALIBRATION, "from the source checkpoint");
      }

      // The quantized matrices: canonical layer name -> stored key of its matrix.
      Map<String, String> layers = new LinkedHashMap<>();
      for (String w : MarianNames.denseWeights(config)) {
        layers.put(w, ck.info(w).name());
      }
      if (!r.keepOutputFloat()) {
        String out = config.tieWordEmbeddings() ? MarianNames.tiedEmbedding(config) : MarianNames.OUTPUT_LAYER;
        layers.put(MarianNames.OUTPUT_LAYER, ck.info(out).name());
      }
      Set<String> quantizedKeys = new LinkedHashSet<>(layers.values());
      Set<String> dropped = droppedKeys(ck, config);

      SafetensorsWriter w = new SafetensorsWriter();
      ck.metadata().forEach((k, v) -> {
        if (!k.startsWith("jnmt_")) {
          w.metadata(k, v);
        }
      });
      w.metadata("format", ck.metadata().getOrDefault("format", "pt"));
      w.metadata(QuantFormat.KEY_FORMAT, r.format().cliName());
      w.metadata(QuantFormat.KEY_VERSION, Integer.toString(QuantFormat.VERSION));
      w.metadata(QuantFormat.KEY_PRECISION, r.format() == QuantFormat.ANNOTATED ? "float32" : r.format().cliName());
      w.metadata(QuantFormat.KEY_TOOL, r.tool());
      List<Path> sourceFiles = new ArrayList<>();
      for (SafetensorsFile f : ck.files()) {
        sourceFiles.add(f.path());
      }
      w.metadata(QuantFormat.KEY_SOURCE_SHA256, sha256(sourceFiles));
      w.metadata(QuantFormat.KEY_OUTPUT_LAYER, r.keepOutputFloat() ? "float32" : "quantized");
      w.metadata(QuantFormat.KEY_CALIBRATION, calibration);

      GemmPrecision precision = r.format() == QuantFormat.INT16 ? GemmPrecision.INT16 : GemmPrecision.INT8;
      for (SafetensorsFile f : ck.files()) {
        for (TensorInfo t : f.tensors().values()) {
          String key = t.name();
          String canonical = MarianNames.canonical(key);
          if (canonical.endsWith(QuantFormat.SCALE_SUFFIX) || canonical.endsWith(QuantFormat.ACT_SCALE_SUFFIX) || dropped.contains(key)) {
            continue;
          }
          if (!quantizedKeys.contains(key)) {
            w.addRaw(key, t.dtype(), f.data(key), t.shape());
            continue;
          }
          long[] shape = t.shape();
          int rows = Math.toIntExact(shape[0]);
          int cols = Math.toIntExact(shape[1]);
          float[] values = f.floats(key, shape);
          float q;
          try {
            q = QuantizedDense.weightQuantMult(precision, Int8.maxAbsolute(values), cols);
          } catch (IllegalArgumentException e) {
            throw new CheckpointException(f.path() + ": tensor '" + key + "': " + e.getMessage());
          }
          switch (r.format()) {
            case ANNOTATED -> w.addF32(key, values, shape);
            case INT8 -> w.addI8(key, QuantizedDense.quantize8(values, q), shape);
            case INT16 -> w.addI16(key, QuantizedDense.quantize16(values, q), shape);
            case FLOAT32 -> throw new IllegalStateException();
          }
          w.addF32(key + QuantFormat.SCALE_SUFFIX, new float[] {q}, 1);
          if (r.format() == QuantFormat.INT8 || r.format() == QuantFormat.INT16) {
            r.log().accept(String.format(Locale.ROOT, "%s %s%s qB %.6g", r.format().cliName(), key, TensorInfo.shapeString(shape), q));
          }
        }
      }
      int act = 0;
      for (Map.Entry<String, String> e : layers.entrySet()) {
        Float q = actScales.get(e.getKey());
        if (q != null) {
          String key = e.getKey().equals(MarianNames.OUTPUT_LAYER) ? MarianNames.OUTPUT_LAYER : e.getValue();
          w.addF32(key + QuantFormat.ACT_SCALE_SUFFIX, new float[] {q}, 1);
          act++;
        }
      }

      removeStale(to, r.log());
      // .NAME.tmp-PID-N: removed on failure and on SIGINT/SIGTERM (a shutdown hook); one left by a
      // killed run (SIGKILL) is removed by the next conversion to the same directory once its PID is dead
      Path tmp = Files.createTempDirectory(to.getParent(), tempPrefix(to) + ProcessHandle.current().pid() + "-");
      Path hookTmp = tmp;
      Thread hook = new Thread(() -> {
        try {
          deleteRecursively(hookTmp);
        } catch (IOException e) {
          // exiting anyway
        }
      }, "jnmt-remove-temporary-conversion");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: keep the default permissions
        }
        w.write(tmp.resolve(MarianCheckpoint.SAFETENSORS), sourceFiles.toArray(Path[]::new));
        copyOtherFiles(from, tmp);
        long bytes = Files.size(tmp.resolve(MarianCheckpoint.SAFETENSORS));
        long sourceBytes = 0;
        for (Path p : sourceFiles) {
          sourceBytes += Files.size(p);
        }
        // The converted directory must load: check it before it replaces anything.
        try (MarianCheckpoint check = MarianCheckpoint.open(tmp)) {
          QuantFormat written = QuantFormat.of(check);
          if (written != r.format()) {
            throw new IllegalStateException("wrote " + written + " instead of " + r.format());
          }
        }
        install(tmp, to, r.force());
        tmp = null;
        return new Result(layers.size(), act, bytes, sourceBytes);
      } finally {
        if (tmp != null) {
          deleteRecursively(tmp);
        }
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down: the hook runs
        }
      }
    }
  }

  /** Stored copies the reader ignores (a tied lm_head or duplicated shared embeddings): not written. */
  private static Set<String> droppedKeys(MarianCheckpoint ck, MarianConfig c) {
    Set<String> used = new LinkedHashSet<>();
    for (String n : MarianCheckpoint.expectedShapes(c).keySet()) {
      used.add(ck.info(n).name());
    }
    Set<String> dropped = new LinkedHashSet<>();
    for (String n : List.of(MarianNames.SHARED, MarianNames.ENCODER_EMBEDDING, MarianNames.DECODER_EMBEDDING, MarianNames.OUTPUT_LAYER)) {
      for (SafetensorsFile f : ck.files()) {
        for (String key : List.of(n, MarianNames.PREFIX + n)) {
          if (f.contains(key) && !used.contains(key)) {
            dropped.add(key);
          }
        }
      }
    }
    return dropped;
  }

  private static void checkPaths(Path from, Path to, boolean force) throws IOException {
    if (!Files.isDirectory(from)) {
      throw new CheckpointException(from + ": not a model directory" + (Files.exists(from) ? "" : " (no such directory)"));
    }
    Path realFrom = from.toRealPath();
    Path realTo = Files.exists(to) ? to.toRealPath() : realParent(to);
    if (realTo.equals(realFrom)) {
      throw new IllegalArgumentException(to + ": the output directory is the input model directory; refusing to overwrite it");
    }
    if (realFrom.startsWith(realTo)) {
      throw new IllegalArgumentException(to + ": the output directory contains the input model " + from + "; refusing to replace it");
    }
    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(to)) {
        throw new IllegalArgumentException(to + ": exists and is not a directory");
      }
      if (!isEmpty(to) && !force) {
        throw new SettingException(Setting.FORCE, to + ": exists and is not empty (use " + SettingException.NAME + " to replace it)");
      }
    }
    Path parent = to.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(to + ": the parent directory does not exist");
    }
  }

  private static Path realParent(Path to) throws IOException {
    Path parent = to.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return to;
    }
    return parent.toRealPath().resolve(to.getFileName());
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    }
  }

  /** Reads the calibration text: UTF-8 lines, blank ones skipped. */
  static List<String> readCalibration(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new SettingException(Setting.CALIBRATION, file + " (" + SettingException.NAME + "): no such file");
    }
    List<String> lines = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    if (lines.isEmpty()) {
      throw new SettingException(Setting.CALIBRATION, file + " (" + SettingException.NAME + "): no text (" + n + " blank lines)");
    }
    return lines;
  }

  /** Copies the configuration, tokenizer and documentation files; not the weights, not hidden files. */
  private static void copyOtherFiles(Path from, Path to) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(from)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (!Files.isRegularFile(p) || name.startsWith(".") || isWeights(name)) {
          continue;
        }
        Files.copy(p, to.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  static boolean isWeights(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".safetensors")
        || n.equals(MarianCheckpoint.SAFETENSORS_INDEX)
        || n.startsWith("pytorch_model")
        || n.endsWith(".bin")
        || n.endsWith(".h5")
        || n.endsWith(".msgpack")
        || n.endsWith(".npz")
        || n.endsWith(".pt")
        || n.endsWith(".ckpt");
  }

  /** Moves the finished temporary directory to its place. */
  private static void install(Path tmp, Path to, boolean force) throws IOException {
    Path old = null;
    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
      if (isEmpty(to)) {
        Files.delete(to);
      } else if (force) {
        old = to.resolveSibling("." + to.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
        Files.move(to, old);
      } else {
        throw new SettingException(Setting.FORCE, to + ": exists and is not empty (use " + SettingException.NAME + " to replace it)");
      }
    }
    try {
      Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, to);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old, to);
      }
      throw e;
    }
    if (old != null) {
      deleteRecursively(old);
    }
  }

  private static String tempPrefix(Path to) {
    return "." + to.getFileName() + ".tmp-";
  }

  /** Removes {@code .NAME.tmp-PID-N} directories of conversions that were killed (PID not alive). */
  private static void removeStale(Path to, Consumer<String> log) {
    String prefix = tempPrefix(to);
    try (var ds = Files.newDirectoryStream(to.getParent(), prefix + "*")) {
      for (Path p : ds) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
          pid = dash > 0 ? Long.parseLong(rest.substring(0, dash)) : -1;
        } catch (NumberFormatException e) {
          pid = -1;
        }
        if (pid < 0 || pid == ProcessHandle.current().pid()
            || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
            || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        deleteRecursively(p);
        log.accept("removed " + p + ", left by a conversion that was killed (PID " + pid + ")");
      }
    } catch (IOException e) {
      // nothing to clean here; the conversion reports its own errors
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** sha256 of the concatenated bytes of the files, in order (one file: its plain sha256). */
  static String sha256(List<Path> files) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 20];
    for (Path p : files) {
      try (InputStream in = Files.newInputStream(p)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
