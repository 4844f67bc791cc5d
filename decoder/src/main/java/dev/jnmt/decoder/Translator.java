// Over 400 lines: the public entry point: loading, batching, parallel decoding, scoring and shortlists share
// the lifecycle lock and the worker pool.
package dev.jnmt.decoder;

import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.base.SettingChecks;
import dev.jnmt.decoder.config.GenerationConfig;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.io.ModelSource;
import dev.jnmt.decoder.io.QuantFormat;
import dev.jnmt.decoder.model.EncodedBatch;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.model.MarianModel;
import dev.jnmt.decoder.search.BeamSearch;
import dev.jnmt.decoder.search.DecoderSession;
import dev.jnmt.decoder.search.ForcedDecoding;
import dev.jnmt.decoder.search.Hypothesis;
import dev.jnmt.decoder.search.SearchConfig;
import dev.jnmt.decoder.shortlist.BatchColumns;
import dev.jnmt.decoder.shortlist.Shortlist;
import dev.jnmt.decoder.shortlist.ShortlistException;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import dev.jnmt.decoder.text.MarianTokenizer;
import dev.jnmt.decoder.text.Tokenizer;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Translates text with a Hugging Face MarianMT model directory (config.json, generation_config.json,
 * model.safetensors, source.spm/target.spm, vocab.json), reproducing HF's {@code generate()}.
 *
 * <pre>{@code
 * try (Translator t = Translator.load(Path.of("models/multi30k-en-de"))) {
 *   List<String> de = t.translate(List.of("A man is riding a bike."));
 *   List<String> greedy = t.translate(List.of("Two dogs play."), t.defaultOptions().withBeamSize(1));
 * }
 * }</pre>
 *
 * <p>Sentences are sorted by source length and decoded in mini-batches ({@link
 * TranslationOptions#miniBatch()}, smaller when a call has fewer sentences than threads × mini-batch);
 * mini-batches run in parallel on {@link Settings#cpuThreads()} threads, so a single sentence uses one
 * thread. Results come back in input order and do not depend on the batching nor on the thread count:
 * every row of every computation is independent of the others.
 *
 * <p>Thread-safe: the model is immutable and each call has its own decoding state, so several threads
 * may call {@code translate} at once (they share the worker threads). {@link #close} stops the workers
 * and releases the tokenizer's native memory.
 */
public final class Translator implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("dev.jnmt.decoder");

  /**
   * Settings fixed for a translator's lifetime.
   *
   * @param cpuThreads worker threads decoding mini-batches in parallel (≥ 1)
   * @param precision arithmetic of the dense layers, or null for the checkpoint's own ({@link
   *     #precisionFor})
   */
  public record Settings(int cpuThreads, GemmPrecision precision) {
    public Settings {
      SettingChecks.threads(cpuThreads);
    }

    /** One thread, the checkpoint's precision. */
    public static Settings defaults() {
      return new Settings(1, null);
    }

    /** {@code threads} threads, the checkpoint's precision. */
    public static Settings threads(int threads) {
      return new Settings(threads, null);
    }
  }

  /**
   * The precision a translator loaded from {@code source} uses: {@code requested}, or when it is null the
   * checkpoint's own ({@link GemmPrecision#defaultFor} its format: float32 for plain and annotated
   * checkpoints, int8shift for int8 files, int16 for int16 files).
   *
   * @throws dev.jnmt.decoder.base.CheckpointException for an unknown format or format version
   */
  public static GemmPrecision precisionFor(ModelSource source, GemmPrecision requested) {
    return requested != null ? requested : GemmPrecision.defaultFor(QuantFormat.of(source.tensors()));
  }

  private final MarianModel model;
  private final Tokenizer tokenizer;
  private final GenerationConfig generation;
  private final TranslationOptions defaults;
  private final ExecutorService workers;
  private final int threads;
  /** Calls hold the read lock, close the write lock: the tokenizer is never freed under a call. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  /**
   * Wires an already loaded model and tokenizer (for callers that load them their own way).
   *
   * @param tokenizer owned by the translator from now on: {@link #close} closes it
   */
  public Translator(
      MarianModel model, Tokenizer tokenizer, GenerationConfig generation, Settings settings) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.generation = generation;
    this.defaults = TranslationOptions.of(generation);
    this.threads = settings.cpuThreads();
    if (threads > 1) {
      AtomicInteger n = new AtomicInteger();
      this.workers =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "jnmt-translate-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    } else {
      this.workers = null;
    }
  }

  /** Loads a model directory with {@link Settings#defaults()}. */
  public static Translator load(Path modelDir) {
    return load(modelDir, Settings.defaults());
  }

  /**
   * Loads a model directory ({@link ModelSource#directory}): the checkpoint is validated, copied to the
   * heap and unmapped.
   *
   * @throws dev.jnmt.decoder.base.CheckpointException with a one-line message naming the file (and tensor)
   */
  public static Translator load(Path modelDir, Settings settings) {
    try (ModelSource source = ModelSource.directory(modelDir)) {
      return load(source, settings);
    }
  }

  /**
   * Builds a translator from a model source: the weights are copied to the heap (the source may be closed
   * afterwards) and the tokenizer is opened and owned by the translator.
   *
   * @throws dev.jnmt.decoder.base.CheckpointException with a one-line message naming the file (and tensor)
   */
  public static Translator load(ModelSource source, Settings settings) {
    GemmPrecision precision = precisionFor(source, settings.precision());
    MarianModel model = MarianModel.load(source.config(), source.tensors(), precision);
    Tokenizer tokenizer = source.openTokenizer();
    try {
      return new Translator(model, tokenizer, source.generationConfig(), settings);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /**
   * Reads a lexical shortlist (Marian text table or binary file) for this model's vocabularies, to be
   * used with {@link TranslationOptions#withShortlist}.
   *
   * @throws ShortlistException one line naming the file for an unreadable or inconsistent shortlist
   */
  public Shortlist loadShortlist(ShortlistSpec spec) {
    if (!(tokenizer instanceof MarianTokenizer mt)) {
      throw new IllegalStateException("a shortlist needs the model's vocabularies (a MarianTokenizer)");
    }
    Shortlist s = Shortlist.load(spec, mt.sourceVocabulary(), mt.targetVocabulary());
    if (s.targetVocabSize() != model.spec().targetVocabSize()) {
      throw new ShortlistException(spec.file() + ": the target vocabulary has " + s.targetVocabSize()
          + " ids but the model's output layer has " + model.spec().targetVocabSize());
    }
    return s;
  }

  /**
   * The ids every sentence may produce whatever the shortlist says: the ones the search forces or bans
   * (eos, forced eos, pad, decoder start, every id of bad_words_ids) and {@code <unk>}.
   */
  int[] alwaysAllowed(SearchConfig search) {
    List<Integer> ids = new ArrayList<>();
    ids.add(search.eosId());
    ids.add(search.forcedEosId());
    ids.add(search.decoderStartId());
    ids.add(generation.padTokenId());
    if (tokenizer instanceof MarianTokenizer mt) {
      ids.add(mt.unkId());
    }
    for (int[] w : search.badWords()) {
      for (int id : w) {
        ids.add(id);
      }
    }
    return ids.stream().mapToInt(Integer::intValue).filter(i -> i >= 0).distinct().sorted().toArray();
  }

  /**
   * How many target ids a source sentence (ids ending with {@code </s>}) is normalised over with the
   * shortlist of {@code options}; the vocabulary size without one.
   */
  public int shortlistSize(int[] sourceIds, TranslationOptions options) {
    if (options.shortlist() == null) {
      return model.spec().targetVocabSize();
    }
    int[] src = cutSource(sourceIds, model.spec().maxPositionEmbeddings());
    return BatchColumns.of(options.shortlist(), new int[][] {src}, alwaysAllowed(searchConfig(options)))
        .allowedCount(0);
  }

  /** The model's own search settings (from its generation config). */
  public TranslationOptions defaultOptions() {
    return defaults;
  }

  /** The precision of the dense layers. */
  public GemmPrecision precision() {
    return model.precision();
  }

  /** The model. */
  public MarianModel model() {
    return model;
  }

  /** The tokenizer. */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Translates with {@link #defaultOptions()}; one output per input, in order. */
  public List<String> translate(List<String> sources) {
    return translate(sources, defaults);
  }

  /** Translates; one output (the best hypothesis) per input, in order. Blank inputs give "". */
  public List<String> translate(List<String> sources, TranslationOptions options) {
    List<Translation> all = translateDetailed(sources, options);
    List<String> out = new ArrayList<>(all.size());
    for (Translation t : all) {
      out.add(t.text());
    }
    return out;
  }

  /**
   * The longest source in tokens ({@code </s>} included): max_position_embeddings. A longer source
   * keeps its first tokens and its {@code </s>}; a warning goes to the System.Logger "dev.jnmt.decoder".
   */
  public int maxSourceTokens() {
    return model.spec().maxPositionEmbeddings();
  }

  /** Translates, keeping up to {@code options.nBest()} hypotheses per input with ids and scores. */
  public List<Translation> translateDetailed(List<String> sources, TranslationOptions options) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return detailed(sources, options);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private List<Translation> detailed(List<String> sources, TranslationOptions options) {
    int n = sources.size();
    List<int[]> encoded = new ArrayList<>(n);
    List<Integer> where = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String s = sources.get(i);
      if (!isBlank(s)) {
        where.add(i);
        encoded.add(tokenizer.encode(s));
      }
    }
    List<List<Hypothesis>> hyps = ids(encoded, options);
    Translation[] out = new Translation[n];
    Translation blank = new Translation(List.of(""), List.of());
    Arrays.fill(out, blank);
    int eos = model.spec().eosTokenId();
    for (int j = 0; j < where.size(); j++) {
      List<Hypothesis> h = hyps.get(j);
      List<String> texts = new ArrayList<>(h.size());
      for (Hypothesis hyp : h) {
        texts.add(tokenizer.decode(hyp.tokensWithoutEos(eos)));
      }
      int over = options.shortlist() == null ? 0 : shortlistSize(encoded.get(j), options);
      out[where.get(j)] = new Translation(texts, h, over, encoded.get(j).length);
    }
    return List.of(out);
  }

  /**
   * Translates token ids: each source is a list of source-vocabulary ids ending with {@code </s>} (as
   * {@link Tokenizer#encode} returns them). A source longer than max_position_embeddings keeps its first
   * tokens and its final {@code </s>} (a warning is logged). Returns up to nBest hypotheses per source,
   * best first, in input order.
   */
  public List<List<Hypothesis>> translateIds(List<int[]> sources, TranslationOptions options) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return ids(sources, options);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private List<List<Hypothesis>> ids(List<int[]> sources, TranslationOptions options) {
    int n = sources.size();
    if (n == 0) {
      return List.of();
    }
    MarianConfig spec = model.spec();
    int[][] src = new int[n][];
    for (int i = 0; i < n; i++) {
      src[i] = fitSource(sources.get(i), i, spec);
    }
    SearchConfig search = searchConfig(options);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Stable: equal lengths keep input order, so batches (and results) are reproducible.
    Arrays.sort(order, (a, b) -> Integer.compare(src[a].length, src[b].length));
    List<int[]> batches = new ArrayList<>();
    // A request smaller than threads × mini-batch is split evenly so that every worker gets a batch
    // (the results do not depend on the batching).
    int miniBatch = Math.min(options.miniBatch(), Math.max(1, (n + threads - 1) / threads));
    for (int start = 0; start < n; start += miniBatch) {
      int end = Math.min(n, start + miniBatch);
      int[] batch = new int[end - start];
      for (int i = start; i < end; i++) {
        batch[i - start] = order[i];
      }
      batches.add(batch);
    }
    @SuppressWarnings({"unchecked", "rawtypes"}) // one slot per source, written by the workers
    List<Hypothesis>[] results = new List[n];
    if (workers == null) {
      for (int[] batch : batches) {
        decodeBatch(batch, src, search, options.shortlist(), results);
      }
    } else {
      // Longest sentences first: the batches that run last are the shortest, so the workers finish
      // together (the order does not change any result). Even a single batch goes to the workers, so a
      // caller overlapping two requests never decodes on more than cpuThreads threads.
      List<Future<?>> futures = new ArrayList<>(batches.size());
      for (int b = batches.size() - 1; b >= 0; b--) {
        int[] batch = batches.get(b);
        futures.add(workers.submit(() -> decodeBatch(batch, src, search, options.shortlist(), results)));
      }
      awaitAll(futures);
    }
    return List.of(results);
  }

  /**
   * Scores given translations (teacher forcing): for each source, the log-probability and normalised
   * score that the search with {@code options} would give to exactly {@code targets[i]} (target ids,
   * start token excluded, normally ending with {@code </s>}). A search result scores to the same values.
   */
  public List<Hypothesis> scoreIds(List<int[]> sources, List<int[]> targets, TranslationOptions options) {
    if (sources.size() != targets.size()) {
      throw new IllegalArgumentException(sources.size() + " sources but " + targets.size() + " targets");
    }
    lifecycle.readLock().lock();
    try {
      checkOpen();
      MarianConfig spec = model.spec();
      SearchConfig search = searchConfig(options);
      int n = sources.size();
      List<Hypothesis> out = new ArrayList<>(n);
      for (int start = 0; start < n; start += options.miniBatch()) {
        int end = Math.min(n, start + options.miniBatch());
        int[][] src = new int[end - start][];
        int[][] tgt = new int[end - start][];
        for (int i = start; i < end; i++) {
          src[i - start] = fitSource(sources.get(i), i, spec);
          tgt[i - start] = targets.get(i);
          for (int id : tgt[i - start]) {
            if (id < 0 || id >= spec.targetVocabSize()) {
              throw new IllegalArgumentException("target " + i + " has id " + id + " outside the vocabulary");
            }
          }
        }
        try (DecoderSession session = options.shortlist() == null
            ? model.startDecoding(model.encode(src))
            : model.startDecoding(model.encode(src), BatchColumns.of(options.shortlist(), src, alwaysAllowed(search)))) {
          out.addAll(List.of(ForcedDecoding.score(session, tgt, search)));
        }
      }
      return out;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void decodeBatch(
      int[] batch, int[][] src, SearchConfig search, Shortlist shortlist, List<Hypothesis>[] results) {
    int[][] ids = new int[batch.length][];
    for (int i = 0; i < batch.length; i++) {
      ids[i] = src[batch[i]];
    }
    EncodedBatch encoded = model.encode(ids);
    List<List<Hypothesis>> hyps;
    try (DecoderSession session = shortlist == null
        ? model.startDecoding(encoded)
        : model.startDecoding(encoded, BatchColumns.of(shortlist, ids, alwaysAllowed(search)))) {
      hyps = BeamSearch.run(session, batch.length, search);
    }
    for (int i = 0; i < batch.length; i++) {
      results[batch[i]] = hyps.get(i);
    }
  }

  private static void awaitAll(List<Future<?>> futures) {
    RuntimeException failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(x -> x.cancel(true));
        throw new IllegalStateException("translation interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (failure == null) {
          failure =
              c instanceof RuntimeException r ? r : new IllegalStateException(c.getMessage(), c);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static int[] fitSource(int[] ids, int index, MarianConfig spec) {
    if (ids.length == 0) {
      throw new IllegalArgumentException(
          "source " + index + " is empty: it needs at least the </s> id " + spec.eosTokenId());
    }
    int limit = spec.maxPositionEmbeddings();
    if (ids.length <= limit) {
      return ids;
    }
    LOG.log(
        Level.WARNING,
        "source {0} has {1} tokens; keeping the first {2} (max_position_embeddings)",
        index,
        ids.length,
        limit);
    return cutSource(ids, limit);
  }

  /** The first limit − 1 ids and the last one (the source as the model sees it). */
  private static int[] cutSource(int[] ids, int limit) {
    if (ids.length <= limit) {
      return ids;
    }
    int[] cut = Arrays.copyOf(ids, limit);
    cut[limit - 1] = ids[ids.length - 1];
    return cut;
  }

  /** The search settings of a call: the options plus the model's fixed generation ids. */
  SearchConfig searchConfig(TranslationOptions o) {
    MarianConfig spec = model.spec();
    int maxLength = Math.min(o.maxLength(), spec.maxPositionEmbeddings() + 1);
    List<List<Integer>> bad = generation.badWordsIds();
    // The pad id is never a translation token (its logit is exactly 0, often the largest): ban it even
    // when the config forgot bad_words_ids, as HF ≤ 4.31 did inside the model.
    int pad = generation.padTokenId();
    boolean padBanned = bad.stream().anyMatch(w -> w.size() == 1 && w.get(0) == pad);
    int[][] badWords = new int[bad.size() + (padBanned ? 0 : 1)][];
    for (int i = 0; i < bad.size(); i++) {
      badWords[i] = bad.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    if (!padBanned) {
      badWords[bad.size()] = new int[] {pad};
    }
    return SearchConfig.builder(generation.eosTokenId(), generation.decoderStartTokenId())
        .beamSize(o.beamSize())
        .nBest(o.nBest())
        .maxLength(maxLength)
        .lengthPenalty((float) o.lengthPenalty())
        .wordPenalty((float) o.wordPenalty())
        .earlyStopping(o.earlyStopping())
        .renormalizeLogits(o.renormalizeLogits())
        .badWords(badWords)
        .forcedEosId(generation.forcedEosTokenId().orElse(-1))
        .minLength(generation.minLength())
        .noRepeatNgramSize(generation.noRepeatNgramSize())
        .repetitionPenalty((float) generation.repetitionPenalty())
        .build();
  }

  /** Python's {@code not s.strip()}: empty or only whitespace (what the reference leaves untranslated). */
  static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (!(Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the translator is closed");
    }
  }

  /**
   * Waits for running calls, then stops the workers and frees the tokenizer; later calls throw
   * IllegalStateException. Idempotent.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (workers != null) {
        workers.shutdownNow();
      }
      tokenizer.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
