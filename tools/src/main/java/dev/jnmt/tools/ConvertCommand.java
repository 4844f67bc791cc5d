package dev.jnmt.tools;

import dev.jnmt.decoder.base.SettingChecks;
import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.convert.CheckpointConverter;
import dev.jnmt.decoder.io.QuantFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnmt convert}: quantizes a float32 MarianMT directory into an annotated, int8 or int16 one
 * (see {@link QuantFormat}), optionally calibrating static activation scales on sample text:
 * {@code jnmt convert -f DIR -t DIR --to annotated|int8|int16 [--calibrate FILE] [--keep-output-float]}
 * ({@code -f}/{@code -t} as marian-conv's from/to). Logs go to stderr; exit codes 0 ok, 2 usage, 1 error.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Converts a float32 model directory for quantized decoding (jnmt translate --gemm-precision).",
      "annotated: float32 weights plus a quantization multiplier per matrix; int8 / int16: the weights stored"
          + " quantized (CPU-independent). --calibrate adds static activation scales (Marian's alphas)."
    })
public final class ConvertCommand implements Callable<Integer> {

  @Option(names = {"-f", "--from"}, required = true, paramLabel = "DIR", description = "the float32 (or annotated) model directory")
  Path from;

  @Option(names = {"-t", "--output"}, required = true, paramLabel = "DIR", description = "the output directory (new or empty; see --force)")
  Path to;

  @Option(
      names = {"--to", "--format"},
      required = true,
      paramLabel = "FORMAT",
      description = "annotated, int8 or int16")
  String format;

  @Option(
      names = "--calibrate",
      paramLabel = "FILE",
      description = "sample source text, one sentence per line: translate it with the float32 model and store"
          + " per-layer activation scales (alpha = mean + 1.1 std of per-call max|A|, as Marian)")
  Path calibrate;

  @Option(names = "--calibrate-beam", paramLabel = "N", description = "beam size of the calibration run (default: the model's)")
  Integer calibrateBeam;

  @Option(names = "--keep-output-float", description = "keep the output layer (and a tied embedding) float32")
  boolean keepOutputFloat;

  @Option(names = "--force", description = "replace a non-empty output directory (never the input)")
  boolean force;

  @Option(names = "--cpu-threads", paramLabel = "N", description = "threads for calibration (default: the number of processors)")
  Integer cpuThreads;

  @Option(names = "--quiet", description = "no log lines on stderr")
  boolean quiet;

  @Option(names = "--debug", hidden = true, description = "print stack traces")
  boolean debug;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Optional<QuantFormat> f = QuantFormat.fromName(format);
    if (f.isEmpty() || f.get() == QuantFormat.FLOAT32) {
      return usage(err, "--to '" + format + "' is not one of: annotated, int8, int16");
    }
    int threads = cpuThreads == null ? Runtime.getRuntime().availableProcessors() : cpuThreads;
    try {
      SettingChecks.threads(threads);
      if (calibrateBeam != null) {
        SettingChecks.beamSize(calibrateBeam);
      }
    } catch (SettingException e) {
      // the one beam here is the calibration run's
      return usage(err, e.render(s -> s == Setting.BEAM_SIZE ? "--calibrate-beam" : CliErrors.flag(s)));
    }
    if (calibrateBeam != null && calibrate == null) {
      return usage(err, "--calibrate-beam needs --calibrate FILE");
    }
    if (java.nio.file.Files.isDirectory(from)) {
      // -t inside -f (M/sub) would write into the input: refused like -t M itself
      Path realFrom = from.toRealPath();
      Path t = to.toAbsolutePath().normalize();
      Path existing = t;
      while (existing != null && !java.nio.file.Files.exists(existing)) {
        existing = existing.getParent();
      }
      Path realTo = existing == null ? t : existing.toRealPath().resolve(existing.relativize(t));
      if (realTo.startsWith(realFrom) && !realTo.equals(realFrom)) {
        return usage(err, "-t " + to + " is inside the input directory " + from + "; refusing to write there");
      }
    }
    if (calibrate != null) {
      // calibration text is read whole and must be UTF-8: the error names the file, line and byte offset
      // (as jnmt bleu; only translate replaces invalid bytes, keeping its line alignment)
      if (!java.nio.file.Files.exists(calibrate)) {
        throw new IOException(calibrate + " (" + CliErrors.flag(Setting.CALIBRATION) + "): no such file");
      }
      if (java.nio.file.Files.isDirectory(calibrate)) {
        throw new IOException(calibrate + " (" + CliErrors.flag(Setting.CALIBRATION) + "): is a directory");
      }
      dev.jnmt.bleu.TextLines.readFile(calibrate, java.nio.charset.StandardCharsets.UTF_8);
    }
    TranslationOptions options = null;
    if (calibrateBeam != null) {
      try (var ck = dev.jnmt.decoder.io.MarianCheckpoint.open(from)) {
        options = TranslationOptions.of(ck.generationConfig()).withBeamSize(calibrateBeam);
      }
    }
    long t0 = System.nanoTime();
    CheckpointConverter.Result r =
        CheckpointConverter.convert(
            new CheckpointConverter.Request(
                from,
                to,
                f.get(),
                calibrate,
                options,
                keepOutputFloat,
                force,
                "jnmt convert " + new Main.Version().getVersion()[0].replace("jnmt ", ""),
                threads,
                quiet ? s -> {} : s -> log(err, s)));
    if (!quiet) {
      log(
          err,
          String.format(
              Locale.ROOT,
              "wrote %s: %s, %d quantized matrices, %d activation scales, %,d bytes (%.1f%% of the source's %,d) in %.1f s",
              to,
              f.get().cliName(),
              r.quantized(),
              r.activationScales(),
              r.bytes(),
              100.0 * r.bytes() / r.sourceBytes(),
              r.sourceBytes(),
              (System.nanoTime() - t0) / 1e9));
    }
    return 0;
  }

  private static void log(PrintWriter err, String s) {
    err.println("jnmt convert: " + s);
    err.flush();
  }

  private static int usage(PrintWriter err, String message) {
    err.println("jnmt convert: " + message);
    err.flush();
    return 2;
  }
}
