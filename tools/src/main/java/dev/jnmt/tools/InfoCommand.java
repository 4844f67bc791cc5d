package dev.jnmt.tools;

import dev.jnmt.decoder.config.GenerationConfig;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.config.TokenizerConfig;
import dev.jnmt.decoder.io.DType;
import dev.jnmt.decoder.io.MarianCheckpoint;
import dev.jnmt.decoder.io.SafetensorsFile;
import dev.jnmt.decoder.io.TensorInfo;
import dev.jnmt.decoder.io.QuantFormat;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.io.ModelSource;
import dev.jnmt.decoder.model.MarianModel;
import dev.jnmt.decoder.text.MarianTokenizer;
import dev.jnmt.decoder.shortlist.Shortlist;
import dev.jnmt.decoder.shortlist.ShortlistException;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import dev.jnmt.decoder.text.Vocabulary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jnmt info DIR}: what a model directory holds (format, precision, tensors, bytes, architecture,
 * generation and tokenizer settings), after the validation {@code jnmt translate} does at load (see
 * {@link #validate}: a directory without any tokenizer file is described, its files shown as missing).
 * Data goes to stdout as "key: value" lines; errors are one line on stderr with exit code 1.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Describes a model directory (Hugging Face MarianMT: config.json + model.safetensors).")
public final class InfoCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "the model directory")
  Path dir;

  @Option(names = "--tensors", description = "also list every stored tensor (name, dtype, shape)")
  boolean listTensors;

  @Option(
      names = "--shortlist",
      arity = "1..4",
      paramLabel = "FILE [FIRST BEST [THRESHOLD]]",
      hideParamSyntax = true,
      description = "describe this lexical shortlist as jnmt translate --shortlist would use it with the model"
          + " (default: every lex*.s2t* file in DIR, with its header's or Marian's default parameters)")
  List<String> shortlist;

  @Option(names = "--debug", hidden = true, description = "print stack traces")
  boolean debug;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws StdStreams.StdoutException {
    PrintWriter out = spec.commandLine().getOut();
    validate();
    try (MarianCheckpoint ck = MarianCheckpoint.open(dir)) {
      MarianConfig c = ck.config();
      List<String> shortlistLines = shortlists(c); // before any output: a bad file prints nothing
      Map<DType, Integer> counts = new EnumMap<>(DType.class);
      Map<DType, Long> bytes = new EnumMap<>(DType.class);
      long parameters = 0;
      long fileBytes = 0;
      for (SafetensorsFile f : ck.files()) {
        fileBytes += f.fileSize();
        for (TensorInfo t : f.tensors().values()) {
          counts.merge(t.dtype(), 1, Integer::sum);
          bytes.merge(t.dtype(), t.byteSize(), Long::sum);
          parameters += t.elementCount();
        }
      }
      line(out, "model", dir.toString());
      Map<String, String> meta = ck.metadata();
      QuantFormat qf = QuantFormat.of(ck);
      line(out, "format", "Hugging Face MarianMT, safetensors (" + ck.files().size() + (ck.files().size() == 1 ? " file" : " shards") + ")"
          + (qf == QuantFormat.FLOAT32 ? "" : ", jnmt " + qf.cliName() + " (format version " + meta.getOrDefault(QuantFormat.KEY_VERSION, "?") + ")"));
      if (!meta.isEmpty()) {
        line(out, "metadata", meta.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
      }
      line(out, "precision", qf == QuantFormat.FLOAT32 ? precision(counts, bytes) : quantized(ck, qf, counts, bytes));
      line(out, "tensors", ck.storedTensorCount() + " stored");
      line(out, "parameters", String.format(Locale.ROOT, "%,d", parameters));
      line(out, "bytes", String.format(Locale.ROOT, "%,d tensor data, %,d on disk", ck.dataBytes(), fileBytes));
      line(out, "architecture", String.format(Locale.ROOT,
          "transformer %d+%d layers, d_model %d, heads %d/%d, FFN %d/%d, %s, %s%s%s",
          c.encoderLayers(), c.decoderLayers(), c.dModel(), c.encoderAttentionHeads(), c.decoderAttentionHeads(),
          c.encoderFfnDim(), c.decoderFfnDim(), c.activation().hfName(),
          c.norms().normalizeBefore() ? "pre-norm" : "post-norm",
          c.norms().normalizeEmbedding() ? ", embedding LayerNorm" : "",
          c.norms().finalLayerNorm() ? ", final LayerNorm" : ""));
      line(out, "embeddings", (c.shareEncoderDecoderEmbeddings()
              ? "shared, vocabulary " + c.vocabSize()
              : "separate, source " + c.sourceVocabSize() + ", target " + c.targetVocabSize())
          + (c.tieWordEmbeddings() ? ", output tied" : ", output untied")
          + (c.scaleEmbedding() ? ", scaled by sqrt(d_model)" : ""));
      boolean storedPositions = ck.contains("encoder.embed_positions.weight") || ck.contains("decoder.embed_positions.weight");
      line(out, "positions", (storedPositions ? "stored table" : "sinusoidal") + ", max " + c.maxPositionEmbeddings());
      line(out, "special ids", "eos " + c.eosTokenId() + ", pad " + c.padTokenId() + ", decoder start " + c.decoderStartTokenId());
      GenerationConfig g = ck.generationConfig();
      line(out, "generation", String.format(Locale.ROOT,
          "num_beams %d, max_length %d, length_penalty %s, early_stopping %s, renormalize_logits %s, bad_words_ids %s, forced_eos %s (%s)",
          g.numBeams(), g.maxLength(), g.lengthPenalty(), g.earlyStopping().name().toLowerCase(Locale.ROOT),
          g.renormalizeLogits(), g.badWordsIds(),
          g.forcedEosTokenId().isPresent() ? String.valueOf(g.forcedEosTokenId().getAsInt()) : "none",
          Files.isRegularFile(dir.resolve("generation_config.json")) ? "generation_config.json" : "config.json"));
      line(out, "tokenizer", tokenizer());
      shortlistLines.forEach(l -> line(out, "shortlist", l));
      if (listTensors) {
        for (SafetensorsFile f : ck.files()) {
          for (TensorInfo t : f.tensors().values()) {
            out.println("tensor: " + t.name() + " " + t.dtype() + " " + TensorInfo.shapeString(t.shape())
                + (ck.files().size() > 1 ? " (" + f.path().getFileName() + ")" : ""));
          }
        }
      }
    }
    StdStreams.check(out);
    return 0;
  }

  /**
   * What translate checks at load, before anything is printed: the model is built as translate builds
   * it (config, generation config, every tensor's name, dtype and shape, every float weight finite) and,
   * when any tokenizer file is present, the tokenizer is opened (SentencePiece models parsed, vocabularies
   * and special tokens checked). A directory with no tokenizer files at all is described, with the files
   * shown as missing: translate refuses it.
   */
  private void validate() {
    try (ModelSource source = ModelSource.directory(dir)) {
      MarianModel.load(source.config(), source.tensors(), Translator.precisionFor(source, null));
    }
    boolean anyTokenizerFile = TOKENIZER_FILES.stream().anyMatch(f -> Files.exists(dir.resolve(f)));
    if (anyTokenizerFile) {
      MarianTokenizer.open(dir).close();
    }
  }

  private static final List<String> TOKENIZER_FILES = List.of("source.spm", "target.spm", "vocab.json");

  private static String precision(Map<DType, Integer> counts, Map<DType, Long> bytes) {
    if (counts.size() == 1) {
      DType only = counts.keySet().iterator().next();
      return name(only);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((d, n) -> parts.add(d + " " + n + " tensors (" + String.format(Locale.ROOT, "%,d", bytes.get(d)) + " bytes)"));
    return "mixed: " + String.join(", ", parts);
  }

  /** A converted checkpoint: its weight precision, what is quantized and how it runs. */
  private static String quantized(MarianCheckpoint ck, QuantFormat qf, Map<DType, Integer> counts, Map<DType, Long> bytes) {
    int scales = 0;
    int actScales = 0;
    for (SafetensorsFile f : ck.files()) {
      for (String n : f.tensors().keySet()) {
        if (n.endsWith(QuantFormat.ACT_SCALE_SUFFIX)) {
          actScales++;
        } else if (n.endsWith(QuantFormat.SCALE_SUFFIX)) {
          scales++;
        }
      }
    }
    String weights = switch (qf) {
      case ANNOTATED -> "float32 weights annotated for 8-bit quantization";
      case INT8 -> "int8 weights";
      case INT16 -> "int16 weights";
      case FLOAT32 -> "float32";
    };
    String runs = switch (qf) {
      case ANNOTATED -> "runs with float32, int16, int8, int8shift";
      case INT8 -> "runs with int8 (default), int8shift";
      case INT16 -> "runs with int16";
      case FLOAT32 -> "";
    };
    String output = ck.metadata().get(QuantFormat.KEY_OUTPUT_LAYER);
    return weights + ": " + scales + " quantized matrices"
        + (output != null ? ", output layer " + output : "")
        + ", " + (actScales == 0 ? "dynamic activation scales" : actScales + " static activation scales")
        + "; " + runs + "; tensors " + precision(counts, bytes);
  }

  private static String name(DType d) {
    return switch (d) {
      case F32 -> "float32";
      case F16 -> "float16 (converted to float32 at load)";
      case BF16 -> "bfloat16 (converted to float32 at load)";
      case F64 -> "float64 (converted to float32 at load)";
      default -> d.name();
    };
  }

  private String tokenizer() {
    List<String> parts = new ArrayList<>();
    for (String f : List.of("source.spm", "target.spm")) {
      parts.add(f + (Files.isRegularFile(dir.resolve(f)) ? "" : " (missing)"));
    }
    TokenizerConfig tc = TokenizerConfig.read(dir);
    Path vocab = dir.resolve("vocab.json");
    if (Files.isRegularFile(vocab)) {
      Vocabulary v = Vocabulary.read(vocab);
      String s = "vocab.json " + v.size() + " pieces";
      if (!v.languageCodes().isEmpty()) {
        s += ", " + v.languageCodes().size() + " language tags";
      }
      parts.add(s);
    } else {
      parts.add("vocab.json (missing)");
    }
    if (tc.separateVocabs()) {
      Path tv = dir.resolve("target_vocab.json");
      parts.add(Files.isRegularFile(tv) ? "target_vocab.json " + Vocabulary.read(tv).size() + " pieces" : "target_vocab.json (missing)");
    }
    tc.sourceLang().ifPresent(l -> parts.add("source_lang " + l));
    tc.targetLang().ifPresent(l -> parts.add("target_lang " + l));
    parts.add("clean_up_tokenization_spaces " + tc.cleanUpByDefault());
    return String.join(", ", parts);
  }

  /** The shortlist given by --shortlist, or every lex*.s2t* file of the directory. */
  private List<String> shortlists(MarianConfig c) {
    List<ShortlistSpec> specs = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    if (shortlist != null) {
      specs.add(ShortlistSpec.parse(shortlist));
    } else {
      try (var files = Files.list(dir)) {
        files.filter(p -> p.getFileName().toString().matches("lex.*\\.s2t.*") && Files.isRegularFile(p))
            .sorted()
            .forEach(p -> specs.add(ShortlistSpec.of(p)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(dir + ": cannot list the directory", e);
      }
    }
    if (specs.isEmpty()) {
      return lines;
    }
    TokenizerConfig tc = TokenizerConfig.read(dir);
    Vocabulary source = Vocabulary.read(dir.resolve("vocab.json"));
    Vocabulary target = tc.separateVocabs() ? Vocabulary.read(dir.resolve("target_vocab.json")) : source;
    for (ShortlistSpec spec : specs) {
      Shortlist s = Shortlist.load(spec, source, target);
      if (s.targetVocabSize() != c.targetVocabSize()) {
        throw new ShortlistException(spec.file() + ": the target vocabulary has " + s.targetVocabSize()
            + " ids but the model's output layer has " + c.targetVocabSize());
      }
      lines.add(s.describe());
    }
    return lines;
  }

  private static void line(PrintWriter out, String key, String value) {
    out.println(key + ": " + value);
  }
}
