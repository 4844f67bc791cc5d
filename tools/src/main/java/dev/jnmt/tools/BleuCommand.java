// Over 400 lines: sacrebleu's whole command line (flags, input reading, text/JSON/table output, confidence
// intervals, paired tests) as one picocli command, so every flag is next to the code that honours it.
package dev.jnmt.tools;

import dev.jnmt.bleu.Bleu;
import dev.jnmt.bleu.BleuTokenizer;
import dev.jnmt.bleu.Chrf;
import dev.jnmt.bleu.Confidence;
import dev.jnmt.bleu.PairedTest;
import dev.jnmt.bleu.Resampling;
import dev.jnmt.bleu.StatsMetric;
import dev.jnmt.bleu.Ter;
import dev.jnmt.bleu.Py;
import dev.jnmt.bleu.SacreBleu;
import dev.jnmt.bleu.Score;
import dev.jnmt.bleu.Signature;
import dev.jnmt.bleu.SmoothMethod;
import dev.jnmt.bleu.TextLines;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Stack;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jnmt bleu}: sacrebleu's command line for BLEU, chrF and TER, with sacrebleu's flags,
 * defaults, signatures and output formats (matched against sacrebleu {@value SacreBleu#VERSION}),
 * including bootstrap confidence intervals and the paired bootstrap / approximate randomization
 * tests with sacrebleu's random numbers, so that a sacrebleu command line works after replacing
 * the program name.
 *
 * <p>What is left out: test-set downloads ({@code -t}, {@code --echo}, ...), the ja-mecab,
 * ko-mecab and SentencePiece tokenizers, and the LaTeX table of multi-system mode.
 */
@Command(
    name = "bleu",
    mixinStandardHelpOptions = true,
    version = "jnmt bleu (sacrebleu " + SacreBleu.VERSION + " compatible)",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Scores hypotheses against references with BLEU, chrF and TER exactly as sacrebleu "
          + SacreBleu.VERSION
          + " does.",
      "Hypotheses come from standard input (one system per TAB-separated column) or from -i.",
      "As in sacrebleu, the references must come before -i; the default output format is json.",
      "Resampling (-ci, --paired-bs, --paired-ar) is seeded by $SACREBLEU_SEED (default 12345;"
          + " 'none' seeds from the OS) and draws sacrebleu's own random numbers."
    })
public final class BleuCommand implements Callable<Integer> {

  /** Every tokenizer name sacrebleu accepts; jnmt implements those in {@link BleuTokenizer}. */
  private static final List<String> SACREBLEU_TOKENIZERS =
      List.of("none", "zh", "13a", "intl", "char", "ja-mecab", "ko-mecab", "spm", "flores101",
          "flores200", "spBLEU-1K");

  private static final List<String> METRICS = List.of("bleu", "chrf", "ter");

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "REF",
      arity = "0..*",
      description = "Reference files, one segment per line (several files: several references).")
  List<Path> refs = new ArrayList<>();

  @Option(
      names = {"-i", "--input"},
      arity = "1..*",
      paramLabel = "HYP",
      description = "Hypothesis file(s) instead of standard input (several: multi-system mode).")
  List<Path> inputs;

  @Option(
      names = {"-nr", "--num-refs"},
      paramLabel = "N",
      description = "Split the single reference file on TABs into N references (default 1).")
  int numRefs = 1;

  @Option(
      names = {"-e", "--encoding"},
      paramLabel = "ENC",
      description = "Encoding of all input (default utf-8).")
  String encoding = "utf-8";

  @Option(
      names = {"-m", "--metrics"},
      arity = "1..*",
      paramLabel = "METRIC",
      parameterConsumer = MetricsConsumer.class,
      description = "Metrics to compute: bleu, chrf, ter (default bleu).")
  List<String> metrics = new ArrayList<>(List.of("bleu"));

  @Option(
      names = {"-sl", "--sentence-level"},
      description = "One score per segment (BLEU then uses the effective order).")
  boolean sentenceLevel;

  @Option(
      names = {"-s", "--smooth-method"},
      paramLabel = "M",
      description = "BLEU smoothing: exp (default), floor, add-k, none.")
  String smoothMethod = "exp";

  @Option(
      names = {"-sv", "--smooth-value"},
      paramLabel = "V",
      description = "Smoothing value for floor (default 0.1) and add-k (default 1).")
  Double smoothValue;

  @Option(
      names = {"-tok", "--tokenize"},
      paramLabel = "TOK",
      description = "BLEU tokenizer: 13a (default), intl, zh, char, none.")
  String tokenize;

  @Option(
      names = {"-lc", "--lowercase"},
      description = "Case-insensitive BLEU.")
  boolean lowercase;

  @Option(
      names = "--force",
      description = "Do not warn about hypotheses that look tokenized.")
  boolean force;

  @Option(
      names = {"-l", "--language-pair"},
      paramLabel = "SRC-TGT",
      description = "Language pair; a zh target selects the zh tokenizer unless -tok is given.")
  String langpair;

  @Option(
      names = {"-cc", "--chrf-char-order"},
      paramLabel = "N",
      description = "chrF character n-gram order (default 6).")
  int chrfCharOrder = 6;

  @Option(
      names = {"-cw", "--chrf-word-order"},
      paramLabel = "N",
      description = "chrF word n-gram order (default 0; 2 gives chrF++).")
  int chrfWordOrder = 0;

  @Option(
      names = "--chrf-beta",
      paramLabel = "B",
      description = "chrF recall weight (default 2).")
  int chrfBeta = 2;

  @Option(
      names = "--chrf-whitespace",
      description = "Keep whitespace in chrF character n-grams.")
  boolean chrfWhitespace;

  @Option(names = "--chrf-lowercase", description = "Case-insensitive chrF.")
  boolean chrfLowercase;

  @Option(
      names = "--chrf-eps-smoothing",
      description = "chrF++.py/Moses/NLTK epsilon smoothing instead of the effective order.")
  boolean chrfEpsSmoothing;

  @Option(names = "--ter-case-sensitive", description = "Case-sensitive TER.")
  boolean terCaseSensitive;

  @Option(
      names = "--ter-asian-support",
      description = "TER: split CJK characters (with --ter-normalized), drop CJK punctuation"
          + " (with --ter-no-punct).")
  boolean terAsianSupport;

  @Option(names = "--ter-no-punct", description = "TER: remove punctuation.")
  boolean terNoPunct;

  @Option(
      names = "--ter-normalized",
      description = "TER: tokenize punctuation and unescape XML entities.")
  boolean terNormalized;

  @Option(
      names = {"-ci", "--confidence"},
      description = "Bootstrap 95% confidence interval (one system).")
  boolean confidence;

  @Option(
      names = {"-cin", "--confidence-n"},
      paramLabel = "N",
      description = "Bootstrap resamples for -ci (default 1000).")
  int confidenceN = 1000;

  @Option(
      names = {"-par", "--paired-ar"},
      description = "Paired approximate randomization test of each -i system against the first.")
  boolean pairedAr;

  @Option(
      names = {"-pbs", "--paired-bs"},
      description = "Paired bootstrap resampling test of each -i system against the first.")
  boolean pairedBs;

  @Option(
      names = {"-parn", "--paired-ar-n"},
      paramLabel = "N",
      description = "Approximate randomization trials (default 10000).")
  int pairedArN = 10000;

  @Option(
      names = {"-pbsn", "--paired-bs-n"},
      paramLabel = "N",
      description = "Paired bootstrap resamples (default 1000).")
  int pairedBsN = 1000;

  @Option(
      names = {"-j", "--paired-jobs"},
      paramLabel = "N",
      description = "Accepted for compatibility; results do not depend on it.")
  int pairedJobs = 1;

  @Option(
      names = {"-q", "--quiet"},
      description = "No informational messages on stderr.")
  boolean quiet;

  @Option(
      names = {"-sh", "--short"},
      description = "Short signature (text format only).")
  boolean shortSignature;

  @Option(
      names = {"-b", "--score-only"},
      description = "Print only the score.")
  boolean scoreOnly;

  @Option(
      names = {"-w", "--width"},
      paramLabel = "W",
      description = "Decimals of the score (default 1).")
  int width = 1;

  @Option(
      names = {"-nc", "--no-color"},
      description = "Accepted for compatibility (jnmt never colours).")
  boolean noColor;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FMT",
      description =
          "json (default), text, or latex (= text for one system); overridden by $SACREBLEU_FORMAT.")
  String format = "json";

  @Option(
      names = {"-t", "--test-set"},
      paramLabel = "SET",
      hidden = true,
      description = "Not supported: jnmt downloads no test sets.")
  String testSet;

  private BleuTokenizer bleuTokenizer;

  /** Reads the standard input; tests replace it. */
  InputStream stdin = System.in;

  /** Where diagnostics go; tests replace it. */
  PrintStream stderr = System.err;

  /** The environment ({@code SACREBLEU_FORMAT}, {@code SACREBLEU_SEED}); tests replace it. */
  java.util.function.UnaryOperator<String> getenv = System::getenv;

  /**
   * The folder relative file names are read from (null: the working directory); names are printed
   * as given. Tests use it to run recorded command lines as they were recorded.
   */
  Path workDir;

  @Override
  public Integer call() throws IOException {
    String fmt = resolveFormat();
    validateArguments();
    Charset charset = charset();
    boolean paired = pairedBs || pairedAr;

    List<List<String>> refStreams = readReferences(charset);
    List<String> systemNames = new ArrayList<>();
    List<List<String>> systems = readSystems(charset, systemNames, paired);

    if (paired) {
      if (inputs == null) {
        for (int s = 0; s < systemNames.size(); s++) {
          systemNames.set(s, s == 0 ? "Baseline" : "System " + s);
        }
      } else {
        systemNames.set(0, "Baseline: " + systemNames.getFirst());
      }
    }
    if (sentenceLevel && systems.size() > 1) {
      throw new IllegalArgumentException("only one system can be evaluated in sentence-level mode");
    }
    if (sentenceLevel && (confidence || paired)) {
      throw new IllegalArgumentException("statistical tests are unavailable in sentence-level mode");
    }
    if (paired && systems.size() == 1) {
      throw new IllegalArgumentException(
          "paired tests require several systems given to -i (the first is the baseline)");
    }
    if (systems.size() > 1 && confidence) {
      throw new IllegalArgumentException(
          "use the paired tests (--paired-bs, --paired-ar) for several systems");
    }
    for (int s = 0; s < systems.size(); s++) {
      List<String> sys = systems.get(s);
      if (sys.isEmpty()) {
        throw new IllegalArgumentException(systemNames.get(s) + " contains no lines");
      }
      for (int r = 0; r < refStreams.size(); r++) {
        if (refStreams.get(r).size() != sys.size()) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "hypothesis %s has %d lines but reference %s has %d lines",
                  systemNames.get(s),
                  sys.size(),
                  referenceName(r),
                  refStreams.get(r).size()));
        }
      }
    }

    // the metrics in the order given (a repeated one keeps its first place), as sacrebleu's dict
    Set<String> given = new LinkedHashSet<>();
    for (String m : metrics) {
      given.add(m.toUpperCase(Locale.ROOT));
    }
    if (given.contains("BLEU")) {
      bleuTokenizer = tokenizer();
    }
    // resampling settings are read before any work, so that a bad seed fails fast
    String seedEnv = getenv.apply("SACREBLEU_SEED");
    String seedText = seedEnv != null ? seedEnv : Resampling.DEFAULT_SEED;
    BigInteger seed = (confidence || paired) ? Resampling.parseSeed(seedText) : null;
    int nrefs = refStreams.size();
    boolean json = fmt.equals("json");
    StringBuilder out = new StringBuilder();
    if (sentenceLevel) {
      scoreSentences(given.iterator().next(), systems.getFirst(), refStreams, nrefs, out);
    } else if (systems.size() == 1) {
      // single-system results come in the sorted order of the metric keys
      List<String> results = new ArrayList<>();
      int[] ciIndices = null;
      for (String name : new TreeSet<>(given)) {
        List<String> hyps = systems.getFirst();
        warnIfTokenized(name, hyps);
        if (confidence && confidenceN > 1) {
          StatsMetric m = statsMetric(name);
          double[] stats = m.corpusSegmentStats(hyps, refStreams);
          Score score = m.score(m.sum(stats));
          // each metric draws from a fresh default_rng(seed): the same indices unless unseeded
          int[] idx =
              ciIndices != null
                  ? ciIndices
                  : Resampling.generator(seed).choice(hyps.size(), confidenceN);
          if (seed != null) {
            ciIndices = idx;
          }
          Confidence ci =
              Resampling.scoreConfidence(
                  Resampling.bootstrap(m, Resampling.toFloat32(stats), idx, confidenceN));
          Signature sig =
              m.signature(nrefs)
                  .withResampling(confidenceN, null, seedText.toLowerCase(Locale.ROOT));
          results.add(
              score.format(width, scoreOnly, sig.format(shortSignature && !json), json, ci));
        } else {
          Scored sc = corpus(name, hyps, refStreams, nrefs);
          String sig = sc.signature(shortSignature && !json);
          results.add(sc.score().format(width, scoreOnly, sig, json));
        }
      }
      printSingleResults(results, json, out);
    } else {
      if (fmt.equals("latex")) {
        throw new IllegalArgumentException(
            "LaTeX tables (-f latex) are not supported; use -f text or -f json");
      }
      info("Found " + systems.size() + " systems.");
      if (paired) {
        printPaired(new ArrayList<>(given), systemNames, systems, refStreams, nrefs, json, out);
      } else {
        printMultiSystem(new TreeSet<>(given), systemNames, systems, refStreams, nrefs, json, out);
      }
    }
    write(out);
    return 0;
  }

  /** The one place that writes results to standard output. */
  private static void write(CharSequence text) throws IOException {
    // System.out is flushed, never closed: it belongs to the caller
    PrintWriter out = stdout();
    out.append(text);
    StdStreams.check(out);
  }

  private String resolveFormat() {
    String fmt = format;
    String env = getenv.apply("SACREBLEU_FORMAT");
    if (env != null && List.of("json", "text", "latex").contains(env.toLowerCase(Locale.ROOT))) {
      fmt = env.toLowerCase(Locale.ROOT);
    }
    if (!List.of("json", "text", "latex").contains(fmt)) {
      throw usage("invalid value for -f: '" + format + "' (choose from json, text, latex)");
    }
    return fmt;
  }

  private void validateArguments() {
    if (testSet != null) {
      throw new IllegalArgumentException(
          "test sets (-t) are not supported: give the reference files instead");
    }
    if (SmoothMethod.forName(smoothMethod).isEmpty()) {
      throw usage(
          "invalid value for -s: '" + smoothMethod + "' (choose from none, floor, add-k, exp)");
    }
    if (tokenize != null && !SACREBLEU_TOKENIZERS.contains(tokenize)) {
      throw usage(
          "invalid value for -tok: '"
              + tokenize
              + "' (choose from "
              + String.join(", ", SACREBLEU_TOKENIZERS)
              + ")");
    }
    if (width < 0) {
      throw usage("-w must be >= 0, got " + width);
    }
    if (numRefs < 1) {
      throw usage("-nr must be >= 1, got " + numRefs);
    }
    if (chrfCharOrder < 0 || chrfWordOrder < 0 || chrfCharOrder + chrfWordOrder == 0) {
      throw usage("chrF needs -cc >= 0, -cw >= 0 and at least one of them > 0");
    }
    if (sentenceLevel && metrics.size() > 1) {
      throw new IllegalArgumentException("only one metric can be used in sentence-level mode");
    }
    if (pairedAr && pairedBs) {
      throw usage("--paired-ar and --paired-bs are mutually exclusive");
    }
    if (numRefs != 1 && refs.size() > 1) {
      throw new IllegalArgumentException(
          "-nr reads several TAB-separated references from ONE reference file, but "
              + refs.size()
              + " files were given");
    }
    if (refs.isEmpty()) {
      throw new IllegalArgumentException(
          "no reference file given (as in sacrebleu, references must come before -i)");
    }
    if (langpair != null && langpair.split("-", -1).length < 2) {
      throw usage("-l needs a language pair like en-de, got '" + langpair + "'");
    }
  }

  private Charset charset() {
    String e = encoding.toLowerCase(Locale.ROOT).replace('_', '-');
    e =
        switch (e) {
          case "utf8", "u8", "utf" -> "utf-8";
          case "latin-1", "latin1", "l1", "iso8859-1" -> "iso-8859-1";
          default -> e;
        };
    try {
      return Charset.forName(e);
    } catch (IllegalArgumentException ex) {
      throw usage("unknown encoding '" + encoding + "'");
    }
  }

  /** The BLEU tokenizer: -tok, else from the target language of -l as sacrebleu picks it. */
  private BleuTokenizer tokenizer() {
    String trgLang = langpair == null ? "" : langpair.split("-", -1)[1];
    String name = tokenize;
    if (name == null) {
      name =
          switch (trgLang) {
            case "zh" -> "zh";
            case "ja" -> "ja-mecab";
            case "ko" -> "ko-mecab";
            default -> "13a";
          };
    } else {
      if (trgLang.equals("zh") && !name.equals("zh")) {
        warn("Consider using the 'zh' or 'spm' tokenizer for Chinese.");
      }
      if (trgLang.equals("ja") && !name.equals("ja-mecab")) {
        warn("Consider using the 'ja-mecab' or 'spm' tokenizer for Japanese.");
      }
      if (trgLang.equals("ko") && !name.equals("ko-mecab")) {
        warn("Consider using the 'ko-mecab' or 'spm' tokenizer for Korean.");
      }
    }
    String chosen = name;
    return BleuTokenizer.forName(chosen)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the '"
                        + chosen
                        + "' tokenizer is not available in jnmt bleu (it has 13a, intl, zh,"
                        + " char, none); pass -tok"));
  }

  private List<List<String>> readReferences(Charset charset) throws IOException {
    List<List<String>> streams = new ArrayList<>();
    for (int i = 0; i < Math.max(refs.size(), numRefs); i++) {
      streams.add(new ArrayList<>());
    }
    for (int f = 0; f < refs.size(); f++) {
      List<String> lines = read(refs.get(f), charset);
      if (numRefs == 1) {
        streams.set(f, rstripped(lines));
        continue;
      }
      for (int ln = 0; ln < lines.size(); ln++) {
        String line = Py.rstrip(lines.get(ln));
        String[] fields = line.split("\t", numRefs);
        if (fields.length != numRefs) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "%s: line %d: expected %d TAB-separated references, found %d",
                  refs.get(f),
                  ln + 1,
                  numRefs,
                  fields.length));
        }
        for (int r = 0; r < numRefs; r++) {
          streams.get(r).add(fields[r]);
        }
      }
    }
    return streams;
  }

  /** A view of the lines right-stripped as sacrebleu's CLI does (no copy of the corpus). */
  private static List<String> rstripped(List<String> lines) {
    return new AbstractList<>() {
      @Override
      public String get(int index) {
        return Py.rstrip(lines.get(index));
      }

      @Override
      public int size() {
        return lines.size();
      }
    };
  }

  private String referenceName(int stream) {
    return numRefs == 1
        ? refs.get(stream).toString()
        : refs.getFirst() + " (reference " + (stream + 1) + ")";
  }

  private List<List<String>> readSystems(Charset charset, List<String> names, boolean paired)
      throws IOException {
    List<List<String>> systems = new ArrayList<>();
    if (inputs == null) {
      List<String> lines = TextLines.readUniversal(stdin, charset, "standard input");
      // sacrebleu counts the systems from the first line (an empty input is one empty line)
      String first = lines.isEmpty() ? "" : lines.getFirst();
      String[] fields = Py.rstrip(first).split("\t", -1);
      if (fields.length == 1) {
        for (int ln = 1; ln < lines.size(); ln++) {
          if (Py.rstrip(lines.get(ln)).indexOf('\t') >= 0) {
            throw fieldCountError(ln, Py.rstrip(lines.get(ln)).split("\t", -1).length, 1);
          }
        }
        systems.add(lines.isEmpty() ? List.of("") : rstripped(lines));
        names.add("standard input");
        return systems;
      }
      for (int s = 0; s < fields.length; s++) {
        systems.add(new ArrayList<>(List.of(fields[s])));
        names.add("System " + (s + 1));
      }
      for (int ln = 1; ln < lines.size(); ln++) {
        String[] f = Py.rstrip(lines.get(ln)).split("\t", -1);
        if (f.length != fields.length) {
          throw fieldCountError(ln, f.length, fields.length);
        }
        for (int s = 0; s < f.length; s++) {
          systems.get(s).add(Py.rstrip(f[s]));
        }
      }
    } else {
      Set<String> seen = new LinkedHashSet<>();
      for (Path p : inputs) {
        String name = p.toString();
        if (!seen.add(name)) {
          if (paired && name.equals(names.getFirst())) {
            info("Ignoring '" + name + "' as it was also given as the baseline.");
            continue;
          }
          throw new IllegalArgumentException("'" + name + "' is given twice as a system");
        }
        systems.add(rstripped(read(p, charset)));
        names.add(name);
      }
    }
    return systems;
  }

  private static IllegalArgumentException fieldCountError(int ln, int found, int expected) {
    return new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "standard input: line %d has %d TAB-separated fields, line 1 has %d",
            ln + 1,
            found,
            expected));
  }

  private List<String> read(Path p, Charset charset) throws IOException {
    try {
      return TextLines.readFile(workDir == null ? p : workDir.resolve(p), charset);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(p + ": no such file");
    }
  }

  /** A score and what its signature needs. */
  private record Scored(Score score, Signature sig) {
    String signature(boolean shortForm) {
      return sig.format(shortForm);
    }
  }

  private Bleu bleu(boolean effectiveOrder) {
    SmoothMethod m = SmoothMethod.forName(smoothMethod).orElseThrow();
    return new Bleu(
        Bleu.Options.DEFAULT
            .withTokenizer(bleuTokenizer)
            .withLowercase(lowercase)
            .withSmoothing(m, smoothValue)
            .withEffectiveOrder(effectiveOrder));
  }

  private Chrf chrf() {
    return new Chrf(
        new Chrf.Options(
            chrfCharOrder,
            chrfWordOrder,
            chrfBeta,
            chrfLowercase,
            chrfWhitespace,
            chrfEpsSmoothing));
  }

  private Ter ter() {
    return new Ter(new Ter.Options(terNormalized, terNoPunct, terAsianSupport, terCaseSensitive));
  }

  private StatsMetric statsMetric(String key) {
    return switch (key) {
      case "BLEU" -> StatsMetric.of(bleu(false));
      case "CHRF" -> StatsMetric.of(chrf());
      case "TER" -> StatsMetric.of(ter());
      default -> throw new IllegalArgumentException("unknown metric " + key);
    };
  }

  /** sacrebleu's warning about hypotheses that look tokenized (BLEU only, unless --force). */
  private void warnIfTokenized(String metric, List<String> hyps) {
    if (!metric.equals("BLEU") || force) {
      return;
    }
    int tokenized = 0;
    for (int i = 0; i < hyps.size() && tokenized < 100; i++) {
      if (hyps.get(i).endsWith(" .")) {
        tokenized++;
      }
    }
    if (tokenized >= 100) {
      warn("That's 100 lines that end in a tokenized period ('.')");
      warn("It looks like you forgot to detokenize your test data, which may hurt your score.");
      warn(
          "If you insist your data is detokenized, or don't care, you can suppress this"
              + " message with --force.");
    }
  }

  private Scored corpus(
      String metric, List<String> hyps, List<List<String>> refStreams, int nrefs) {
    return switch (metric) {
      case "BLEU" -> {
        Bleu b = bleu(false);
        yield new Scored(b.corpusScore(hyps, refStreams), b.signature(nrefs));
      }
      case "CHRF" -> {
        Chrf c = chrf();
        yield new Scored(c.corpusScore(hyps, refStreams), c.signature(nrefs));
      }
      default -> {
        Ter t = ter();
        yield new Scored(t.corpusScore(hyps, refStreams), t.signature(nrefs));
      }
    };
  }

  private void scoreSentences(
      String metric, List<String> hyps, List<List<String>> refStreams, int nrefs, StringBuilder out) {
    List<String> segRefs = new ArrayList<>(refStreams.size());
    Bleu b = metric.equals("BLEU") ? bleu(true) : null;
    Chrf c = metric.equals("CHRF") ? chrf() : null;
    Ter t = metric.equals("TER") ? ter() : null;
    Signature signature =
        b != null ? b.signature(nrefs) : c != null ? c.signature(nrefs) : t.signature(nrefs);
    String sig = signature.format(shortSignature);
    for (int i = 0; i < hyps.size(); i++) {
      segRefs.clear();
      for (List<String> s : refStreams) {
        segRefs.add(s.get(i));
      }
      Score score =
          b != null
              ? b.sentenceScore(hyps.get(i), segRefs)
              : c != null ? c.sentenceScore(hyps.get(i), segRefs) : t.sentenceScore(hyps.get(i), segRefs);
      out.append(score.format(width, scoreOnly, sig, false)).append('\n');
    }
  }

  /** sacrebleu's {@code print_single_results}. */
  private static void printSingleResults(List<String> results, boolean json, StringBuilder out) {
    if (json) {
      out.append(results.size() > 1 ? "[\n" + String.join(",\n", results) + "\n]" : results.get(0));
      out.append('\n');
      return;
    }
    if (results.size() == 1) {
      out.append(results.get(0)).append('\n');
      return;
    }
    // align the lines on their first '=' (score-only lines have none and print as they are)
    List<String> aligned = new ArrayList<>();
    List<Integer> lens = new ArrayList<>();
    for (String line : results) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        out.append(line).append('\n');
      } else {
        aligned.add(line);
        lens.add(line.codePointCount(0, eq) - 1);
      }
    }
    int w = lens.stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int i = 0; i < aligned.size(); i++) {
      out.append(" ".repeat(Math.max(0, w - lens.get(i)))).append(aligned.get(i)).append('\n');
    }
  }

  /** Multi-system mode without a test: every system's scores, as a JSON list or a text table. */
  private void printMultiSystem(
      Set<String> chosen,
      List<String> names,
      List<List<String>> systems,
      List<List<String>> refStreams,
      int nrefs,
      boolean json,
      StringBuilder out) {
    List<String> columns = new ArrayList<>();
    List<String> sigs = new ArrayList<>();
    List<List<String>> cells = new ArrayList<>();
    for (int s = 0; s < systems.size(); s++) {
      List<String> row = new ArrayList<>();
      for (String metric : chosen) {
        warnIfTokenized(metric, systems.get(s));
        Scored sc = corpus(metric, systems.get(s), refStreams, nrefs);
        if (s == 0) {
          columns.add(sc.score().name());
          sigs.add(sc.signature(shortSignature));
        }
        row.add(sc.score().format(width, true, "", false));
      }
      cells.add(row);
    }
    if (json) {
      // json.dumps(rows, indent=4) of score-only strings
      StringBuilder sb = new StringBuilder("[\n");
      for (int s = 0; s < systems.size(); s++) {
        sb.append("    {\n        \"system\": ").append(Py.jsonString(names.get(s), true));
        for (int m = 0; m < columns.size(); m++) {
          sb.append(",\n        ")
              .append(Py.jsonString(columns.get(m), true))
              .append(": ")
              .append(Py.jsonString(cells.get(s).get(m), true));
        }
        sb.append("\n    }").append(s + 1 < systems.size() ? ",\n" : "\n");
      }
      out.append(sb).append("]\n");
      return;
    }
    out.append(FancyGrid.render(columns, names, cells)).append("\n\n");
    printSignatures(columns, sigs, out);
  }

  private static void printSignatures(List<String> names, List<String> sigs, StringBuilder out) {
    out.append("-----------------\nMetric signatures\n-----------------\n");
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      out.append(" - ")
          .append(n)
          .append(" ".repeat(Math.max(0, 10 - n.codePointCount(0, n.length()))))
          .append(' ')
          .append(sigs.get(i))
          .append('\n');
    }
  }

  /** {@code --paired-bs} / {@code --paired-ar}: sacrebleu's table, in text or JSON. */
  private void printPaired(
      List<String> chosen,
      List<String> names,
      List<List<String>> systems,
      List<List<String>> refStreams,
      int nrefs,
      boolean json,
      StringBuilder out) {
    PairedTest.Kind kind = pairedBs ? PairedTest.Kind.BOOTSTRAP : PairedTest.Kind.RANDOMIZATION;
    String seedEnv = getenv.apply("SACREBLEU_SEED");
    PairedTest test =
        new PairedTest(
            kind,
            pairedBs ? pairedBsN : pairedArN,
            seedEnv != null ? seedEnv : Resampling.DEFAULT_SEED);
    List<String> columns = new ArrayList<>();
    List<String> sigs = new ArrayList<>();
    List<List<PairedTest.Result>> results = new ArrayList<>();
    for (String key : chosen) {
      StatsMetric m = statsMetric(key);
      List<double[]> stats = new ArrayList<>();
      for (List<String> sys : systems) {
        warnIfTokenized(key, sys);
        stats.add(m.corpusSegmentStats(sys, refStreams));
      }
      columns.add(m.name());
      sigs.add(test.signature(m, nrefs).format(shortSignature));
      results.add(test.runOnStats(m, stats));
    }
    if (json) {
      StringBuilder sb = new StringBuilder("[\n");
      for (int s = 0; s < systems.size(); s++) {
        sb.append("    {\n        \"system\": ").append(Py.jsonString(names.get(s), true));
        for (int m = 0; m < columns.size(); m++) {
          PairedTest.Result r = results.get(m).get(s);
          sb.append(",\n        ")
              .append(Py.jsonString(columns.get(m), true))
              .append(": {\n            \"score\": ")
              .append(Py.floatRepr(r.score()))
              .append(",\n            \"p_value\": ")
              .append(jsonNumber(r.pValue()))
              .append(",\n            \"mean\": ")
              .append(jsonNumber(r.mean()))
              .append(",\n            \"ci\": ")
              .append(jsonNumber(r.ci()))
              .append("\n        }");
        }
        sb.append("\n    }").append(s + 1 < systems.size() ? ",\n" : "\n");
      }
      out.append(sb).append("]\n");
      return;
    }
    List<String> headers = new ArrayList<>();
    for (String c : columns) {
      headers.add(kind == PairedTest.Kind.BOOTSTRAP ? c + " (\u03bc \u00b1 95% CI)" : c);
    }
    List<List<String>> cells = new ArrayList<>();
    for (int s = 0; s < systems.size(); s++) {
      List<String> row = new ArrayList<>();
      for (int m = 0; m < columns.size(); m++) {
        PairedTest.Result r = results.get(m).get(s);
        String cell = Py.fixed(r.score(), width);
        if (r.mean() != null) {
          cell += " (" + Py.fixed(r.mean(), width) + " \u00b1 " + Py.fixed(r.ci(), width) + ")";
        }
        if (r.pValue() != null) {
          cell += "\n(p = " + Py.fixed(r.pValue(), 4) + ")" + (r.pValue() > 0.05 ? "" : "*");
        }
        row.add(cell);
      }
      cells.add(row);
    }
    out.append(FancyGrid.render(headers, names, cells)).append("\n\n");
    boolean bs = kind == PairedTest.Kind.BOOTSTRAP;
    String msg =
        "Paired "
            + (bs ? "bootstrap resampling" : "approximate randomization")
            + " test with "
            + (bs ? pairedBsN : pairedArN)
            + " "
            + (bs ? "resampling trials" : "trials");
    String rule = "-".repeat(msg.length());
    out.append(rule).append('\n').append(msg).append('\n').append(rule).append('\n');
    // sacrebleu names the baseline only when it is a file ("Baseline: x"); from stdin it is
    // "Baseline", which its table code does not recognise, so the name is empty
    String baseline = names.getFirst().startsWith("Baseline:") ? names.getFirst() : "";
    out.append(" - Each system is pairwise compared to ").append(baseline).append(".\n");
    out.append(
        bs
            ? "   Actual system score / bootstrap estimated true mean / 95% CI are provided for each"
                + " metric.\n"
            : "   Actual system score is provided for each metric.\n");
    out.append('\n');
    out.append(
        """
         - Null hypothesis: the system and the baseline translations are essentially
           generated by the same underlying process. For a given system and the baseline,
           the p-value is roughly the probability of the absolute score difference (delta)
           or higher occurring due to chance, under the assumption that the null hypothesis is correct.

         - Assuming a significance threshold of 0.05, the null hypothesis can be rejected
           for p-values < 0.05 (marked with "*"). This means that the delta is unlikely to be attributed
           to chance, hence the system is significantly "different" than the baseline.
           Otherwise, the p-values are highlighted in red.

         - NOTE: Significance does not tell whether a system is "better" than the baseline but rather
           emphasizes the "difference" of the systems in terms of the replicability of the delta.

        """);
    printSignatures(columns, sigs, out);
  }

  private static String jsonNumber(Double d) {
    return d == null ? "null" : Py.floatRepr(d);
  }

  private static PrintWriter stdout() {
    // sacrebleu writes UTF-8 whatever the locale
    return new PrintWriter(
        new BufferedWriter(new OutputStreamWriter(StdStreams.stdout(), StandardCharsets.UTF_8), 1 << 16));
  }

  private void warn(String msg) {
    stderr.println("jnmt bleu: " + msg);
  }

  private void info(String msg) {
    if (!quiet) {
      stderr.println("jnmt bleu: " + msg);
    }
  }

  private CommandLine.ParameterException usage(String msg) {
    return new CommandLine.ParameterException(spec.commandLine(), msg);
  }

  /**
   * Consumes the values of {@code -m} while they are metric names, so that {@code -m bleu chrf
   * ref.txt} leaves {@code ref.txt} as a reference (sacrebleu's argparse would reject it).
   */
  static final class MetricsConsumer implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      List<String> values = new ArrayList<>();
      while (!args.isEmpty() && METRICS.contains(args.peek())) {
        values.add(args.pop());
      }
      if (values.isEmpty()) {
        String got = args.isEmpty() ? "nothing" : "'" + args.peek() + "'";
        throw new CommandLine.ParameterException(
            commandSpec.commandLine(),
            "-m needs one or more of " + String.join(", ", METRICS) + ", got " + got);
      }
      argSpec.setValue(values);
    }
  }
}
