package dev.jnmt.tools;

import dev.jnmt.bleu.Bleu;
import dev.jnmt.bleu.BleuTokenizer;
import dev.jnmt.bleu.Chrf;
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
 * {@code jnmt bleu}: sacrebleu's command line for BLEU and chrF, with sacrebleu's flags, defaults,
 * signatures and output formats (matched against sacrebleu {@value SacreBleu#VERSION}), so that a
 * sacrebleu command line works after replacing the program name.
 *
 * <p>What is left out: test-set downloads ({@code -t}, {@code --echo}, ...), TER, the ja-mecab,
 * ko-mecab and SentencePiece tokenizers, confidence intervals and paired tests, and the text/LaTeX
 * table of multi-system mode (its JSON form is supported).
 */
@Command(
    name = "bleu",
    mixinStandardHelpOptions = true,
    version = "jnmt bleu (sacrebleu " + SacreBleu.VERSION + " compatible)",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Scores hypotheses against references with BLEU and chrF exactly as sacrebleu "
          + SacreBleu.VERSION
          + " does.",
      "Hypotheses come from standard input (one system per TAB-separated column) or from -i.",
      "As in sacrebleu, the references must come before -i; the default output format is json."
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
      description = "Metrics to compute: bleu, chrf (default bleu).")
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

  @Override
  public Integer call() throws IOException {
    String fmt = resolveFormat();
    validateArguments();
    Charset charset = charset();

    List<List<String>> refStreams = readReferences(charset);
    List<String> systemNames = new ArrayList<>();
    List<List<String>> systems = readSystems(charset, systemNames);

    if (sentenceLevel && systems.size() > 1) {
      throw new IllegalArgumentException("only one system can be evaluated in sentence-level mode");
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

    // sacrebleu evaluates metrics in the sorted order of their upper-case names
    Set<String> chosen = new TreeSet<>();
    for (String m : metrics) {
      chosen.add(m.toUpperCase(Locale.ROOT));
    }
    if (chosen.contains("BLEU")) {
      bleuTokenizer = tokenizer();
    }
    int nrefs = refStreams.size();
    boolean json = fmt.equals("json");
    // System.out is flushed, never closed: it belongs to the caller
    PrintWriter out = stdout();
    if (sentenceLevel) {
      scoreSentences(chosen.iterator().next(), systems.getFirst(), refStreams, nrefs, out);
    } else if (systems.size() == 1) {
      List<String> results = new ArrayList<>();
      for (String name : chosen) {
        Scored sc = corpus(name, systems.getFirst(), refStreams, nrefs, false);
        String sig = sc.signature(shortSignature && !json);
        results.add(sc.score().format(width, scoreOnly, sig, json));
      }
      printSingleResults(results, json, out);
    } else {
      if (!json) {
        throw new IllegalArgumentException(
            "multi-system tables (-f " + fmt + ") are not supported; use -f json");
      }
      info("Found " + systems.size() + " systems.");
      printMultiSystemJson(chosen, systemNames, systems, refStreams, nrefs, out);
    }
    StdStreams.check(out);
    return 0;
  }

  private String resolveFormat() {
    String fmt = format;
    String env = System.getenv("SACREBLEU_FORMAT");
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
    if (metrics.contains("ter")) {
      throw new IllegalArgumentException("TER is not supported by jnmt bleu (use -m bleu chrf)");
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

  private List<List<String>> readSystems(Charset charset, List<String> names) throws IOException {
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

  private static List<String> read(Path p, Charset charset) throws IOException {
    try {
      return TextLines.readFile(p, charset);
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

  private Scored corpus(
      String metric, List<String> hyps, List<List<String>> refStreams, int nrefs, boolean eff) {
    if (metric.equals("BLEU")) {
      Bleu b = bleu(eff);
      if (!force) {
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
      return new Scored(b.corpusScore(hyps, refStreams), b.signature(nrefs));
    }
    Chrf c = chrf();
    return new Scored(c.corpusScore(hyps, refStreams), c.signature(nrefs));
  }

  private void scoreSentences(
      String metric, List<String> hyps, List<List<String>> refStreams, int nrefs, PrintWriter out) {
    List<String> segRefs = new ArrayList<>(refStreams.size());
    if (metric.equals("BLEU")) {
      Bleu b = bleu(true);
      String sig = b.signature(nrefs).format(shortSignature);
      for (int i = 0; i < hyps.size(); i++) {
        segRefs.clear();
        for (List<String> s : refStreams) {
          segRefs.add(s.get(i));
        }
        out.print(b.sentenceScore(hyps.get(i), segRefs).format(width, scoreOnly, sig, false));
        out.print('\n');
      }
    } else {
      Chrf c = chrf();
      String sig = c.signature(nrefs).format(shortSignature);
      for (int i = 0; i < hyps.size(); i++) {
        segRefs.clear();
        for (List<String> s : refStreams) {
          segRefs.add(s.get(i));
        }
        out.print(c.sentenceScore(hyps.get(i), segRefs).format(width, scoreOnly, sig, false));
        out.print('\n');
      }
    }
  }

  /** sacrebleu's {@code print_single_results}. */
  private static void printSingleResults(List<String> results, boolean json, PrintWriter out) {
    if (json) {
      out.print(results.size() > 1 ? "[\n" + String.join(",\n", results) + "\n]" : results.get(0));
      out.print('\n');
      return;
    }
    if (results.size() == 1) {
      out.print(results.get(0) + "\n");
      return;
    }
    // align the lines on their first '=' (score-only lines have none and print as they are)
    List<String> aligned = new ArrayList<>();
    List<Integer> lens = new ArrayList<>();
    for (String line : results) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        out.print(line + "\n");
      } else {
        aligned.add(line);
        lens.add(eq - 1);
      }
    }
    int w = lens.stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int i = 0; i < aligned.size(); i++) {
      String left = aligned.get(i).substring(0, lens.get(i));
      out.print(" ".repeat(Math.max(0, w - left.length())) + aligned.get(i) + "\n");
    }
  }

  /** sacrebleu's multi-system JSON: {@code json.dumps(rows, indent=4)} of score-only strings. */
  private void printMultiSystemJson(
      Set<String> chosen,
      List<String> names,
      List<List<String>> systems,
      List<List<String>> refStreams,
      int nrefs,
      PrintWriter out) {
    StringBuilder sb = new StringBuilder("[\n");
    for (int s = 0; s < systems.size(); s++) {
      sb.append("    {\n        \"system\": ").append(Py.jsonString(names.get(s), true));
      for (String metric : chosen) {
        Scored sc = corpus(metric, systems.get(s), refStreams, nrefs, false);
        sb.append(",\n        ")
            .append(Py.jsonString(sc.score().name(), true))
            .append(": ")
            .append(Py.jsonString(sc.score().format(width, true, "", false), true));
      }
      sb.append("\n    }").append(s + 1 < systems.size() ? ",\n" : "\n");
    }
    out.print(sb.append("]\n"));
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
