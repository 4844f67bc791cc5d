package dev.jnmt.tools;

import dev.jnmt.decoder.Translation;
import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.shortlist.Shortlist;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.io.ModelSource;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.search.Hypothesis;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnmt translate}: text in, translations out, one output line per input line (Marian's n-best
 * format with {@code --n-best}). Reads and translates blocks of lines, so memory stays bounded on any
 * input size; blank lines give empty lines; invalid UTF-8 is replaced by U+FFFD and the line kept.
 * Output files are written to a temporary file and renamed at the end. Logs, the progress bar and the
 * summary go to stderr. Exit codes: 0 ok, 2 usage, 1 runtime error (one line on stderr).
 */
@Command(
    name = "translate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Translates text, one sentence per line, with a Hugging Face MarianMT model directory.",
      "Search defaults come from the model's generation_config.json (as Hugging Face generate())."
    })
public final class TranslateCommand implements Callable<Integer> {

  /** The shipped model, relative to jnmt.home (the launcher sets -Djnmt.home). */
  static final String DEFAULT_MODEL = "models/multi30k-en-de";

  @Option(
      names = {"-m", "--model"},
      paramLabel = "DIR",
      description = "model directory (default: the shipped " + DEFAULT_MODEL + ")")
  Path model;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "FILE",
      description = "input text, UTF-8, one sentence per line (default: stdin)")
  Path input;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "output file, written atomically (default: stdout)")
  Path output;

  @Option(
      names = {"-b", "--beam-size"},
      paramLabel = "N",
      description = "beam size; 1 = greedy (default: the model's num_beams)")
  Integer beamSize;

  @Option(
      names = "--n-best",
      arity = "0..1",
      fallbackValue = "0",
      paramLabel = "N",
      description =
          "print N hypotheses per sentence (all beams without N) as 'i ||| text ||| F0= logprob ||| score'")
  Integer nBest;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      description = "maximum output length in tokens, the decoder start token included (HF max_length; default: the model's)")
  Integer maxLength;

  @Option(
      names = {"-n", "--normalize"},
      arity = "0..1",
      fallbackValue = "1",
      paramLabel = "ALPHA",
      description = "length normalisation: score = (logprob − wp·length) / length^ALPHA (default: the model's length_penalty; -n alone = 1)")
  Double normalize;

  @Option(
      names = "--word-penalty",
      paramLabel = "WP",
      description = "Marian's word penalty, subtracted once per output token before normalising (default: 0)")
  double wordPenalty;

  @Option(
      names = "--mini-batch",
      paramLabel = "N",
      description = "sentences decoded together, sorted by length (default: ${DEFAULT-VALUE})")
  int miniBatch = TranslationOptions.DEFAULT_MINI_BATCH;

  @Option(
      names = "--cpu-threads",
      paramLabel = "N",
      description = "threads decoding mini-batches in parallel (default: the number of processors)")
  Integer cpuThreads;

  @Option(
      names = "--gemm-precision",
      paramLabel = "P",
      description =
          "dense-layer arithmetic: float32, int16, int8 or int8shift; float32 checkpoints are quantized at load,"
              + " calibrated ones (jnmt convert --calibrate) use their activation scales"
              + " (default: the checkpoint's own: float32, int8shift for int8 files, int16 for int16 files)")
  String gemmPrecision;

  @Option(
      names = "--shortlist",
      arity = "1..4",
      paramLabel = "FILE [FIRST BEST [THRESHOLD]]",
      description =
          "Marian lexical shortlist: a text table (lex.s2t: 'target source probability' lines) or a Marian"
              + " binary shortlist (lex.*.s2t.bin); keep the FIRST most frequent target ids and, per source"
              + " token, its BEST most probable translations above THRESHOLD (FILE alone: the binary header's"
              + " values, or 100 100 0). Log-probabilities are normalised over each sentence's shortlist"
              + " ('Shortlist= N' in --n-best output)")
  List<String> shortlist;

  @Option(names = "--quiet", description = "no progress bar and no summary on stderr")
  boolean quiet;

  @Option(names = "--debug", hidden = true, description = "print stack traces")
  boolean debug;

  @Spec CommandSpec spec;

  /** Marian's names of its precomputed-alpha modes: here the activation scales of the checkpoint decide. */
  private static final List<String> ALPHA_NAMES =
      List.of("int8alpha", "int8shiftalpha", "int8shiftalphaall");

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    GemmPrecision precision = null;
    if (gemmPrecision != null) {
      try {
        precision = GemmPrecision.fromName(gemmPrecision);
      } catch (IllegalArgumentException e) {
        String p = gemmPrecision.trim().toLowerCase(Locale.ROOT);
        return usage(
            err,
            ALPHA_NAMES.contains(p)
                ? "--gemm-precision " + gemmPrecision + ": use int8 or int8shift; a checkpoint calibrated by"
                    + " jnmt convert --calibrate uses its activation scales automatically"
                : "--gemm-precision '" + gemmPrecision + "' is not one of: float32, int16, int8, int8shift");
      }
    }
    int threads = cpuThreads == null ? Runtime.getRuntime().availableProcessors() : cpuThreads;
    if (threads < 1) {
      return usage(err, "--cpu-threads must be at least 1, got " + threads);
    }
    if (miniBatch < 1) {
      return usage(err, "--mini-batch must be at least 1, got " + miniBatch);
    }
    if (beamSize != null && beamSize < 1) {
      return usage(err, "--beam-size must be at least 1, got " + beamSize);
    }
    if (nBest != null && nBest < 0) {
      return usage(err, "--n-best must be at least 1, got " + nBest);
    }
    if (maxLength != null && maxLength < 2) {
      return usage(err, "--max-length must be at least 2 (it counts the decoder start token), got " + maxLength);
    }
    if (normalize != null && !Double.isFinite(normalize) || !Double.isFinite(wordPenalty)) {
      return usage(err, "--normalize and --word-penalty must be finite numbers");
    }
    ShortlistSpec shortlistSpec = null;
    if (shortlist != null) {
      try {
        shortlistSpec = ShortlistSpec.parse(shortlist);
      } catch (IllegalArgumentException e) {
        return usage(err, e.getMessage());
      }
      if (!Files.isRegularFile(shortlistSpec.file())) {
        return usage(err, "--shortlist " + shortlistSpec.file() + ": no such file");
      }
    }
    if (input != null && !Files.isRegularFile(input)) {
      throw new NoSuchFileException(input + " (input): not a readable file");
    }
    if (input != null && output != null && Files.exists(output) && Files.isSameFile(input, output)) {
      return usage(err, "--output " + output + " is the input file; refusing to overwrite it");
    }
    Path modelDir = model != null ? model : defaultModel();
    long t0 = System.nanoTime();
    if (precision != null) {
      warnAboutJvm(precision, err);
    }
    Translator loaded;
    try (ModelSource source = ModelSource.directory(modelDir)) {
      if (precision == null) {
        precision = Translator.precisionFor(source, null);
        warnAboutJvm(precision, err);
      }
      loaded = Translator.load(source, new Translator.Settings(threads, precision));
    }
    try (Translator translator = loaded) {
      TranslationOptions options = options(translator.defaultOptions());
      if (shortlistSpec != null) {
        Shortlist sl = translator.loadShortlist(shortlistSpec);
        if (!quiet) {
          err.println("jnmt translate: shortlist " + sl.describe());
          err.flush();
        }
        options = options.withShortlist(sl);
      }
      TranslationOptions chosen = options;
      if (nBest != null && nBest > options.beamSize()) {
        return usage(err, "--n-best " + nBest + " exceeds the beam size " + options.beamSize());
      }
      double loadSeconds = (System.nanoTime() - t0) / 1e9;
      TranslateSummary summary;
      if (output == null) {
        Writer w = new BufferedWriter(new OutputStreamWriter(nonClosing(System.out), StandardCharsets.UTF_8));
        summary = run(translator, chosen, w, err);
        w.flush();
      } else {
        summary = TranslateOutput.writeAtomically(output, w -> run(translator, chosen, w, err));
      }
      if (!quiet) {
        err.println(summary.describe(loadSeconds, options.beamSize(), threads, precision.cliName()));
        err.flush();
      }
    }
    return 0;
  }

  private static void warnAboutJvm(GemmPrecision precision, PrintWriter err) {
    JvmCheck.warning(precision, JvmCheck.typeProfileLevel()).ifPresent(w -> {
      err.println("jnmt translate: " + w);
      err.flush();
    });
  }

  private TranslationOptions options(TranslationOptions model) {
    TranslationOptions o = model.withMiniBatch(miniBatch);
    if (beamSize != null) {
      o = o.withBeamSize(beamSize);
    }
    if (maxLength != null) {
      o = o.withMaxLength(maxLength);
    }
    if (normalize != null) {
      o = o.withLengthPenalty(normalize);
    }
    o = o.withWordPenalty(wordPenalty);
    if (nBest != null) {
      o = o.withNBest(nBest == 0 ? o.beamSize() : Math.min(nBest, o.beamSize()));
    }
    return o;
  }

  private static Path defaultModel() {
    String home = System.getProperty("jnmt.home");
    Path p = home != null ? Path.of(home).resolve(DEFAULT_MODEL) : Path.of(DEFAULT_MODEL);
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "no model given and the shipped model " + p + " does not exist: use -m DIR");
    }
    return p;
  }

  private int usage(PrintWriter err, String message) {
    err.println("jnmt translate: " + message);
    err.flush();
    return 2;
  }

  /** Reads blocks of lines, translates each, writes the results in order. */
  private TranslateSummary run(Translator translator, TranslationOptions options, Writer out, PrintWriter err)
      throws IOException {
    long total = input == null ? -1 : Files.size(input);
    boolean progress = !quiet && input != null && TranslateProgress.stderrIsTerminal();
    // Blocks of many mini-batches let the length sort group similar sentences; with a progress bar
    // they are smaller so that it moves. Results do not depend on the block size.
    int perBlock = options.miniBatch() * translatorThreads();
    int block = progress ? Math.max(64, perBlock * 2) : Math.max(256, perBlock * 16);
    TranslateSummary summary = new TranslateSummary();
    try (InputStream raw = input == null ? nonClosingIn() : Files.newInputStream(input);
        TranslateLineReader lines = new TranslateLineReader(raw)) {
      TranslateProgress bar = progress ? new TranslateProgress(err, total) : null;
      long start = System.nanoTime();
      List<String> batch = new ArrayList<>(block);
      while (true) {
        batch.clear();
        String line;
        // Never wait for more input once a line is in hand: a terminal or a slow pipe gets each
        // translation as soon as its line is complete.
        while (batch.size() < block && (batch.isEmpty() || lines.ready()) && (line = lines.readLine()) != null) {
          batch.add(line);
        }
        if (batch.isEmpty()) {
          break;
        }
        List<Translation> result = translator.translateDetailed(batch, options);
        long first = summary.sentences();
        for (int i = 0; i < batch.size(); i++) {
          write(out, first + i, result.get(i));
          summary.add(batch.get(i));
        }
        out.flush();
        summary.elapsed(System.nanoTime() - start);
        if (bar != null) {
          bar.update(lines.bytesConsumed(), summary);
        }
      }
      if (bar != null) {
        bar.finish();
      }
    }
    return summary;
  }

  private int translatorThreads() {
    return cpuThreads == null ? Runtime.getRuntime().availableProcessors() : cpuThreads;
  }

  private void write(Writer out, long index, Translation t) throws IOException {
    if (nBest == null) {
      out.write(oneLine(t.text()));
      out.write('\n');
      return;
    }
    if (t.hypotheses().isEmpty()) {
      out.write(index + " |||  ||| F0= 0 ||| 0\n");
      return;
    }
    for (int i = 0; i < t.hypotheses().size(); i++) {
      Hypothesis h = t.hypotheses().get(i);
      out.write(index + " ||| " + oneLine(t.texts().get(i)) + " ||| F0= " + h.logProb()
          + (t.shortlistSize() > 0 ? " Shortlist= " + t.shortlistSize() : "") + " ||| " + h.score() + "\n");
    }
  }

  /** A translation never spans lines: line breaks inside it (possible from odd vocabularies) become spaces. */
  static String oneLine(String s) {
    return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\n', ' ').replace('\r', ' ');
  }

  private static OutputStream nonClosing(OutputStream o) {
    return new java.io.FilterOutputStream(o) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  private static InputStream nonClosingIn() {
    return new java.io.FilterInputStream(System.in) {
      @Override
      public void close() {}
    };
  }
}
