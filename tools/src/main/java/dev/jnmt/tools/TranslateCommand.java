// Over 400 lines: one picocli command with its options, their checks, the JVM-flag warning, block-wise
// reading and atomic output; each flag stays next to the code that honours it.
package dev.jnmt.tools;

import dev.jnmt.decoder.base.SettingChecks;
import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
              + " (default: the checkpoint's own: float32, int8 for int8 files (the fastest exact 8-bit path), int16 for int16 files)")
  String gemmPrecision;

  @Option(
      names = "--shortlist",
      arity = "1..4",
      paramLabel = "FILE [FIRST BEST [THRESHOLD]]",
      hideParamSyntax = true,
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

  /**
   * The library logs over-long sources through System.Logger (java.util.logging: two dated lines, a
   * batch index); the CLI prints its own one-line warning with the input line number instead. Held
   * here: java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger DECODER_LOG = java.util.logging.Logger.getLogger("dev.jnmt.decoder");

  /** Upper limits checked before loading anything (memory grows with beam × mini-batch × vocabulary). */
  static final int MAX_BEAM = SettingChecks.MAX_BEAM;

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
      } catch (SettingException e) {
        String p = gemmPrecision.trim().toLowerCase(Locale.ROOT);
        return ALPHA_NAMES.contains(p)
            ? usage(err, "--gemm-precision " + gemmPrecision + ": use int8 or int8shift; a checkpoint calibrated by"
                + " jnmt convert --calibrate uses its activation scales automatically")
            : usage(err, e); // --gemm-precision 'P' is not one of: float32, int16, int8, int8shift
      }
    }
    int threads = cpuThreads == null ? Runtime.getRuntime().availableProcessors() : cpuThreads;
    ShortlistSpec shortlistSpec = null;
    try {
      // the library's checks (SettingChecks), before anything is loaded; the model's own values are
      // checked when it is read
      SettingChecks.threads(threads);
      SettingChecks.miniBatch(miniBatch);
      if (beamSize != null) {
        SettingChecks.beamSize(beamSize);
      }
      if (nBest != null && nBest != 0) { // 0: --n-best without N, every beam
        SettingChecks.nBest(nBest, beamSize != null ? beamSize : SettingChecks.MAX_BEAM);
      }
      if (maxLength != null) {
        SettingChecks.maxLength(maxLength);
      }
      if (normalize != null) {
        SettingChecks.penalty(Setting.LENGTH_PENALTY, normalize);
      }
      SettingChecks.penalty(Setting.WORD_PENALTY, wordPenalty);
      if (shortlist != null) {
        shortlistSpec = ShortlistSpec.parse(shortlist);
      }
    } catch (SettingException e) {
      return usage(err, e);
    }
    if (shortlistSpec != null && !Files.isRegularFile(shortlistSpec.file())) {
      return usage(err, "--shortlist " + shortlistSpec.file() + ": no such file");
    }
    if (input != null) {
      // regular files, FIFOs and process substitutions (<(cmd)) are read; directories are not
      if (Files.isDirectory(input)) {
        throw new IOException(input + " (input): is a directory");
      }
      if (!Files.exists(input)) {
        throw new NoSuchFileException(input + " (input): No such file or directory");
      }
      if (!Files.isReadable(input)) {
        throw new IOException(input + " (input): Permission denied");
      }
    } else if (StdStreams.stdinClosed()) {
      throw new IOException("standard input is not open (started with <&-): give -i FILE or redirect it");
    }
    TranslateOutput.Target target = null;
    if (output != null) {
      target = TranslateOutput.check(output);
      if (!target.special()) {
        if (input != null && Files.isRegularFile(input) && Files.exists(target.file())
            && Files.isSameFile(input, target.file())) {
          return usage(err, "--output " + output + " is the input file; refusing to overwrite it");
        }
        if (input == null && TranslateOutput.isStandardInput(target)) {
          return usage(err, "--output " + output + " is the file on standard input; refusing to overwrite it");
        }
        TranslateOutput.removeStale(target, err);
      }
    }
    Path modelDir = model != null ? model : defaultModel();
    long t0 = System.nanoTime();
    if (precision != null) {
      warnAboutJvm(precision, err);
    }
    // a bar (file of known size) or a spinner (stdin, pipes) on a terminal, from the first second;
    // none while a person types on the same terminal
    boolean progress = !quiet && TranslateProgress.stderrIsTerminal() && (input != null || !TranslateProgress.isTerminal(0));
    long total = input != null && Files.isRegularFile(input) ? Files.size(input) : -1;
    bar = progress ? new TranslateProgress(err, total) : null;
    try {
      return translate(modelDir, precision, threads, target, shortlistSpec, t0, err);
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
  }

  private TranslateProgress bar;

  private int translate(Path modelDir, GemmPrecision precision, int threads, TranslateOutput.Target target,
      ShortlistSpec shortlistSpec, long t0,
      PrintWriter err) throws IOException {
    DECODER_LOG.setLevel(java.util.logging.Level.OFF);
    Translator loaded;
    try (ModelSource source = ModelSource.directory(modelDir)) {
      // checked from the generation settings before the weights are read
      int beams = beamSize != null ? beamSize : source.generationConfig().numBeams();
      if (nBest != null && nBest > beams) {
        return usage(err, SettingException.of(Setting.N_BEST, nBest + " exceeds the beam size " + beams));
      }
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
        return usage(err, SettingException.of(Setting.N_BEST, nBest + " exceeds the beam size " + options.beamSize()));
      }
      double loadSeconds = (System.nanoTime() - t0) / 1e9;
      TranslateSummary summary;
      if (target == null) {
        Writer w = new BufferedWriter(new OutputStreamWriter(StdStreams.stdout(), StandardCharsets.UTF_8), 1 << 16);
        summary = run(translator, chosen, w, err);
        w.flush();
      } else {
        summary = TranslateOutput.write(target, w -> run(translator, chosen, w, err));
      }
      if (bar != null) {
        bar.close();
        bar = null;
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
      if (dev.jnmt.intgemm.JvmCheck.claimTypeProfileWarning()) {
        err.println("jnmt translate: " + w);
        err.flush();
      }
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

  private int usage(PrintWriter err, SettingException e) {
    return usage(err, CliErrors.message(e));
  }

  private int usage(PrintWriter err, String message) {
    err.println("jnmt translate: " + message);
    err.flush();
    return 2;
  }

  /**
   * Reads blocks of lines, translates each, writes the results in order. With more than one thread, the
   * next block is read and handed to the translator while the previous one is still being decoded (at
   * most two blocks in flight), so the workers never wait at the end of a block for the slowest
   * mini-batch; the output is still written block by block in input order.
   */
  private TranslateSummary run(Translator translator, TranslationOptions options, Writer out, PrintWriter err)
      throws IOException {
    boolean progress = bar != null;
    // Blocks of many mini-batches let the length sort group similar sentences; with a progress bar
    // they are smaller so that it moves. Results do not depend on the block size.
    int perBlock = options.miniBatch() * translatorThreads();
    int blockLines = progress ? Math.max(64, perBlock * 2) : Math.max(256, perBlock * 16);
    TranslateSummary summary = new TranslateSummary();
    ExecutorService callers = translatorThreads() > 1 ? Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "jnmt-block");
      t.setDaemon(true);
      return t;
    }) : null;
    Block pending = null;
    try (InputStream raw = input == null ? StdStreams.stdin() : Files.newInputStream(input);
        TranslateLineReader lines = new TranslateLineReader(raw, maxLineBytes(translator))) {
      long start = System.nanoTime();
      while (true) {
        // Never wait for more input with a translated block in hand: a terminal or a slow pipe gets each
        // translation as soon as its line is complete.
        if (pending != null && !lines.ready()) {
          finish(pending, translator, out, err, summary, start);
          pending = null;
        }
        Block block = read(lines, blockLines);
        if (block == null) {
          break;
        }
        if (callers == null) {
          block.result = CompletableFuture.completedFuture(translator.translateDetailed(block.lines, options));
        } else {
          block.result = CompletableFuture.supplyAsync(() -> translator.translateDetailed(block.lines, options), callers);
        }
        if (pending != null) {
          finish(pending, translator, out, err, summary, start);
        }
        pending = block;
      }
      if (pending != null) {
        finish(pending, translator, out, err, summary, start);
        pending = null;
      }
    } finally {
      if (pending != null) {
        pending.result.cancel(true);
      }
      if (callers != null) {
        callers.shutdownNow();
      }
    }
    return summary;
  }

  /** Lines of one block, what cutting did to them, and their translations once done. */
  private static final class Block {
    final List<String> lines;
    final List<Long> cutBytes; // a cut line's full length in bytes, else -1
    final long bytesConsumed;
    CompletableFuture<List<Translation>> result;

    Block(List<String> lines, List<Long> cutBytes, long bytesConsumed) {
      this.lines = lines;
      this.cutBytes = cutBytes;
      this.bytesConsumed = bytesConsumed;
    }
  }

  /** Up to {@code max} lines, waiting for input only while none is in hand; null at the end of input. */
  private static Block read(TranslateLineReader lines, int max) throws IOException {
    List<String> batch = new ArrayList<>();
    List<Long> cutBytes = new ArrayList<>();
    String line;
    while (batch.size() < max && (batch.isEmpty() || lines.ready()) && (line = lines.readLine()) != null) {
      batch.add(line);
      cutBytes.add(lines.lastLineCut() ? lines.lastLineBytes() : -1L);
    }
    return batch.isEmpty() ? null : new Block(batch, cutBytes, lines.bytesConsumed());
  }

  /** Waits for a block's translations and writes them. */
  private void finish(Block block, Translator translator, Writer out, PrintWriter err, TranslateSummary summary,
      long start) throws IOException {
    List<Translation> result;
    try {
      result = block.result.join();
    } catch (CompletionException | CancellationException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error x) {
        throw x;
      }
      throw new IllegalStateException(c.getMessage(), c);
    }
    long first = summary.sentences();
    for (int i = 0; i < block.lines.size(); i++) {
      warnIfCut(err, first + i + 1, block.cutBytes.get(i), result.get(i), translator.maxSourceTokens());
      write(out, first + i, result.get(i));
      summary.add(block.lines.get(i));
    }
    out.flush();
    summary.elapsed(System.nanoTime() - start);
    if (bar != null) {
      bar.update(block.bytesConsumed, summary);
    }
  }

  /**
   * Lines are cut to this many bytes before tokenizing: 256 bytes per position (a SentencePiece token
   * covers far fewer), enough to fill the position table, so memory per line stays bounded.
   */
  static int maxLineBytes(Translator translator) {
    return maxLineBytesOf(translator.maxSourceTokens());
  }

  /**
   * One line on stderr for a source that does not fit max_position_embeddings, with its input line
   * number (blank lines counted): {@code jnmt translate: line 3000: 10,001 tokens, keeping the first 512}.
   */
  private void warnIfCut(PrintWriter err, long lineNumber, long cutBytes, Translation t, int limit) {
    String msg = null;
    if (cutBytes >= 0) {
      msg = String.format(Locale.ROOT, "line %d: %,d bytes, keeping the first %,d tokens of its first %,d bytes",
          lineNumber, cutBytes, Math.min(t.sourceTokens(), limit), (long) maxLineBytesOf(limit));
    } else if (t.sourceTokens() > limit) {
      msg = String.format(Locale.ROOT, "line %d: %,d tokens, keeping the first %,d", lineNumber, t.sourceTokens(), limit);
    }
    if (msg != null) {
      if (bar != null) {
        synchronized (bar) {
          err.print("\r\033[K");
          err.println("jnmt translate: " + msg);
          err.flush();
        }
      } else {
        err.println("jnmt translate: " + msg);
        err.flush();
      }
    }
  }

  private static int maxLineBytesOf(int limit) {
    return (int) Math.min(Integer.MAX_VALUE - 16, 256L * limit);
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
}
