package dev.jnmt.spark;

import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.model.GemmPrecision;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} entry point: {@code translate} and {@code score}. Data goes to the output
 * directory (translate) or stdout (score), one-line messages to stderr; exit codes 0 ok, 1 job
 * failed, 2 usage. A failure prints one line naming the file and line; the full trace is logged.
 */
@Command(
    name = "jnmt-spark",
    mixinStandardHelpOptions = true,
    subcommands = {SparkMain.Translate.class, SparkMain.ScoreCmd.class},
    description = "Translates and scores corpora on Apache Spark with jnmt.")
public final class SparkMain implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(SparkMain.class);

  /** Where the commands' one-line summaries go (the {@link #run} caller's stderr). */
  private static volatile PrintStream err = System.err;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a command is required: translate or score");
  }

  public static void main(String[] args) {
    int rc = run(args, System.err);
    System.exit(rc);
  }

  /** Runs a command; the Spark session is the active one or a new one from the submit's conf. */
  public static int run(String[] args, PrintStream err) {
    SparkMain.err = err;
    CommandLine cl = new CommandLine(new SparkMain());
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          LOG.error("jnmt-spark failed", e);
          String log = System.getProperty("jnmt.spark.log");
          err.println("jnmt-spark: " + describe(e, conf()) + (log == null ? "" : " (details: " + log + ")"));
          return 1;
        });
    return cl.execute(args);
  }

  private static Configuration conf() {
    return SparkSession.getActiveSession().isDefined()
        ? SparkSession.getActiveSession().get().sparkContext().hadoopConfiguration()
        : new Configuration();
  }

  private static final Pattern LINE_ERROR =
      Pattern.compile("dev\\.jnmt\\.spark\\.LineError: (.+?) at byte (\\d+): ([^\\n]*)");
  private static final Pattern JOB_ERROR = Pattern.compile("dev\\.jnmt\\.spark\\.JobError: ([^\\n]*)");

  /** One line for a failure: which file and line, or which option, model or output. */
  static String describe(Throwable e, Configuration conf) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof LineError le) {
        return lineMessage(conf, le.file(), le.offset(), le.reason());
      }
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof JobError je) {
        return je.getMessage();
      }
    }
    String text = String.valueOf(e.getMessage());
    Matcher m = LINE_ERROR.matcher(text);
    if (m.find()) {
      return lineMessage(conf, m.group(1), Long.parseLong(m.group(2)), m.group(3));
    }
    m = JOB_ERROR.matcher(text);
    if (m.find()) {
      return m.group(1);
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return ExecutorTranslators.oneLine(root);
  }

  private static String lineMessage(Configuration conf, String file, long offset, String reason) {
    if (offset < 0) {
      return file + ": " + reason;
    }
    long line = InputFiles.lineNumber(conf, file, offset);
    return file + ": line " + (line > 0 ? Long.toString(line) : "at byte " + offset) + ": " + reason;
  }

  static SparkSession session(String app) {
    return SparkSession.builder().appName(app).getOrCreate();
  }

  @Command(
      name = "translate",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Translates text files (one sentence per line) into OUTPUT/NAME/part-* (or OUTPUT/NAME with --merge),",
        "one output line per input line, in order, as jnmt translate does."
      })
  static final class Translate implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "model directory")
    String model;

    @Option(
        names = "--ship-model",
        description = "ship the model directory with the job (SparkContext.addFile); otherwise every node reads DIR")
    boolean ship;

    @Option(
        names = {"-i", "--input"},
        required = true,
        arity = "1..*",
        paramLabel = "PATH",
        description = "input files, directories or globs on any Hadoop file system")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "output directory (must not exist)")
    String output;

    @Option(names = "--merge", description = "one output file per input file instead of a directory of parts")
    boolean merge;

    @Option(names = {"-b", "--beam-size"}, paramLabel = "N", description = "beam size (default: the model's)")
    Integer beamSize;

    @Option(names = "--max-length", paramLabel = "N", description = "maximum output length in tokens (default: the model's)")
    Integer maxLength;

    @Option(names = "--mini-batch", paramLabel = "N", description = "sentences decoded together (default: ${DEFAULT-VALUE})")
    int miniBatch = TranslationOptions.DEFAULT_MINI_BATCH;

    @Option(
        names = "--gemm-precision",
        paramLabel = "P",
        description = "float32, int16, int8 or int8shift (default: the checkpoint's own, as jnmt translate)")
    String precision;

    @Option(
        names = "--max-split-bytes",
        paramLabel = "N",
        description = "largest input split, one task each (default: about four tasks per core)")
    long maxSplitBytes;

    @Option(
        names = "--shortlist",
        arity = "1..4",
        paramLabel = "FILE [FIRST BEST [THRESHOLD]]",
        description = "Marian lexical shortlist, as jnmt translate --shortlist (shipped too with --ship-model)")
    List<String> shortlist;

    @Override
    public Integer call() {
      GemmPrecision p = null;
      if (precision != null) {
        try {
          p = GemmPrecision.fromName(precision);
        } catch (SettingException e) {
          throw new JobError(e.render(TranslateSettings::flag), e);
        }
      }
      java.nio.file.Path shortlistPath = null;
      if (shortlist != null) {
        try {
          dev.jnmt.decoder.shortlist.ShortlistSpec.parse(shortlist); // FILE [FIRST BEST [THRESHOLD]]
        } catch (SettingException e) {
          throw new JobError(e.render(TranslateSettings::flag), e);
        }
        shortlistPath = java.nio.file.Path.of(shortlist.getFirst()).toAbsolutePath();
        if (!Files.isRegularFile(shortlistPath)) {
          throw new JobError("--shortlist " + shortlist.getFirst() + ": no such file");
        }
      }
      SparkSession spark = session("jnmt-spark translate");
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      boolean remote = model.contains("://") && !model.startsWith("file:");
      java.nio.file.Path local = remote ? null : java.nio.file.Path.of(model.replaceFirst("^file:(//)?", "/")).toAbsolutePath();
      if (local != null && !Files.isDirectory(local)) {
        throw new JobError("model " + model + ": not a directory");
      }
      if (remote && !ship) {
        throw new JobError("model " + model + ": a model on a Hadoop file system must be shipped (--ship-model)");
      }
      ModelRef ref;
      if (ship && !sc.isLocal()) {
        ref = ModelShipping.ship(sc, remote ? model : local.toString());
      } else {
        // local mode: the driver is the executor, the model is already here
        ref = ModelRef.shared(local.toString());
      }
      ModelRef shortlistRef = null;
      if (shortlistPath != null) {
        if (ship && !sc.isLocal()) {
          sc.sc().addFile(shortlistPath.toString());
          shortlistRef = ModelRef.shipped(shortlistPath.getFileName().toString());
        } else {
          shortlistRef = ModelRef.shared(shortlistPath.toString());
        }
      }
      TranslateSettings settings =
          new TranslateSettings(ref, p, beamSize, maxLength, miniBatch, shortlist, shortlistRef);
      if (local != null) {
        // A bad model or shortlist fails here, once, with its own message (not in every task).
        TranslateSettings onDriver =
            new TranslateSettings(
                ModelRef.shared(local.toString()), p, beamSize, maxLength, miniBatch, shortlist,
                shortlistPath == null ? null : ModelRef.shared(shortlistPath.toString()));
        onDriver.options(onDriver.translator());
      }
      TranslateJob.Result r =
          TranslateJob.run(sc, new TranslateJob.Request(inputs, output, settings, merge, maxSplitBytes));
      err.printf(
          Locale.ROOT,
          "jnmt-spark translate: %d lines from %d file(s) in %d tasks, %.1f s (%.1f lines/s) -> %s%n",
          r.lines(), r.files(), r.tasks(), r.seconds(), r.lines() / Math.max(1e-9, r.seconds()), output);
      return 0;
    }
  }

  @Command(
      name = "score",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Corpus BLEU/chrF of hypothesis files against reference files, printed as jnmt bleu prints it.")
  static final class ScoreCmd implements Callable<Integer> {
    @Option(names = {"-i", "--input"}, required = true, arity = "1..*", paramLabel = "HYP", description = "hypothesis files/dirs/globs, read in order as one corpus")
    List<String> hyps;

    @Option(names = {"-r", "--ref"}, required = true, paramLabel = "REF", description = "a reference file set; repeat for several references")
    List<String> refs;

    @Option(names = {"-m", "--metrics"}, arity = "1..*", paramLabel = "METRIC", description = "bleu, chrf (default bleu)")
    List<String> metrics = new ArrayList<>(List.of("bleu"));

    @Option(names = {"-tok", "--tokenize"}, paramLabel = "TOK") String tokenize = "13a";
    @Option(names = {"-lc", "--lowercase"}) boolean lowercase;
    @Option(names = {"-s", "--smooth-method"}, paramLabel = "M") String smoothMethod = "exp";
    @Option(names = {"-sv", "--smooth-value"}, paramLabel = "V") Double smoothValue;
    @Option(names = {"-cc", "--chrf-char-order"}, paramLabel = "N") int chrfCharOrder = 6;
    @Option(names = {"-cw", "--chrf-word-order"}, paramLabel = "N") int chrfWordOrder = 0;
    @Option(names = "--chrf-beta", paramLabel = "B") int chrfBeta = 2;
    @Option(names = "--chrf-lowercase") boolean chrfLowercase;
    @Option(names = "--chrf-whitespace") boolean chrfWhitespace;
    @Option(names = "--chrf-eps-smoothing") boolean chrfEps;
    @Option(names = {"-w", "--width"}, paramLabel = "W") int width = 1;
    @Option(names = {"-sh", "--short"}) boolean shortSig;
    @Option(names = {"-b", "--score-only"}) boolean scoreOnly;
    @Option(names = {"-f", "--format"}, paramLabel = "FMT", description = "json (default) or text") String format = "json";

    @Override
    public Integer call() {
      ScoreSettings s =
          new ScoreSettings(
              metrics, tokenize, lowercase, smoothMethod, smoothValue, chrfCharOrder, chrfWordOrder, chrfBeta,
              chrfLowercase, chrfWhitespace, chrfEps, width, shortSig, scoreOnly, format);
      SparkSession spark = session("jnmt-spark score");
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<List<String>> refSets = new ArrayList<>();
      for (String r : refs) {
        refSets.add(List.of(r));
      }
      ScoreJob.Stats stats = ScoreJob.scoreFiles(sc, hyps, refSets, s);
      System.out.print(ScoreJob.report(stats, s));
      System.out.flush();
      return 0;
    }
  }
}
