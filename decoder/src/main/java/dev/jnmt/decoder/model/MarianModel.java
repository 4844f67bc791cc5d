package dev.jnmt.decoder.model;

import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.io.MarianNames;
import dev.jnmt.decoder.io.TensorSource;
import dev.jnmt.decoder.search.DecoderSession;
import dev.jnmt.decoder.shortlist.BatchColumns;
import java.util.List;

/**
 * Hugging Face MarianMT at inference (transformers {@code modeling_marian.py}): {@link Embeddings} (scaled
 * token embeddings plus sinusoids), a stack of {@link EncoderLayer}s, a stack of {@link DecoderLayer}s and
 * the output layer {@code y·Eᵀ + final_logits_bias}; the BART-family variants of {@link MarianConfig.Norms}
 * (pre-norm layers, embedding and final stack LayerNorms) are flags of the same layers. Immutable after loading and safe to share between
 * threads; per-translation state lives in {@link EncodedBatch} and the sessions of {@link #startDecoding}.
 */
public final class MarianModel {

  private final MarianConfig spec;
  private final GemmPrecision precision;
  private final Embeddings embeddings;
  private final List<EncoderLayer> encoderLayers;
  private final List<DecoderLayer> decoderLayers;
  private final Dense outputLayer;
  private final StackNorms encoderNorms;
  private final StackNorms decoderNorms;
  private final KvPool kvPool;

  /**
   * The optional LayerNorms of a stack (BART-family configs; MarianMT has neither).
   *
   * @param embedding after the embedding sum, before the first layer (normalize_embedding), or null
   * @param last after the last layer (add_final_layer_norm), or null
   */
  public record StackNorms(LayerNorm embedding, LayerNorm last) {
    /** MarianMT: none. */
    public static final StackNorms NONE = new StackNorms(null, null);

    static void apply(LayerNorm norm, float[] x, int rows) {
      if (norm != null) {
        norm.apply(x, rows);
      }
    }
  }

  /** Assembles a MarianMT model (no stack LayerNorms) from its parts (see {@link #load} for checkpoints). */
  public MarianModel(
      MarianConfig spec,
      GemmPrecision precision,
      Embeddings embeddings,
      List<EncoderLayer> encoderLayers,
      List<DecoderLayer> decoderLayers,
      Dense outputLayer) {
    this(spec, precision, embeddings, encoderLayers, decoderLayers, outputLayer, StackNorms.NONE, StackNorms.NONE);
  }

  /** Assembles a model from its parts, with the stack LayerNorms of each side. */
  public MarianModel(
      MarianConfig spec,
      GemmPrecision precision,
      Embeddings embeddings,
      List<EncoderLayer> encoderLayers,
      List<DecoderLayer> decoderLayers,
      Dense outputLayer,
      StackNorms encoderNorms,
      StackNorms decoderNorms) {
    this.spec = spec;
    this.precision = precision;
    this.embeddings = embeddings;
    this.encoderLayers = List.copyOf(encoderLayers);
    this.decoderLayers = List.copyOf(decoderLayers);
    this.outputLayer = outputLayer;
    this.encoderNorms = encoderNorms;
    this.decoderNorms = decoderNorms;
    this.kvPool = new KvPool(KvCache.chunkFloats(spec.dModel()));
  }

  /** The chunks of the decoder sessions' self-attention caches (shared by all sessions and threads). */
  KvPool kvPool() {
    return kvPool;
  }

  /** The encoder's optional embedding and final LayerNorms. */
  public StackNorms encoderNorms() {
    return encoderNorms;
  }

  /** The decoder's optional embedding and final LayerNorms. */
  public StackNorms decoderNorms() {
    return decoderNorms;
  }

  /** The architecture. */
  public MarianConfig spec() {
    return spec;
  }

  /** The precision of the dense layers. */
  public GemmPrecision precision() {
    return precision;
  }

  /** Token and position embeddings of both sides. */
  public Embeddings embeddings() {
    return embeddings;
  }

  /** The encoder stack, bottom first. */
  public List<EncoderLayer> encoderLayers() {
    return encoderLayers;
  }

  /** The decoder stack, bottom first. */
  public List<DecoderLayer> decoderLayers() {
    return decoderLayers;
  }

  /** The output layer: [target vocabulary × d], logits = hidden·Wᵀ + final_logits_bias. */
  public Dense outputLayer() {
    return outputLayer;
  }

  /**
   * Loads the weights (HF names without the {@code model.} prefix, {@link MarianNames}) and builds the
   * dense layers; a quantized precision quantizes them at load, or reads a converted checkpoint's
   * integers ({@link LayerLoader}).
   *
   * @throws CheckpointException naming the tensor when one is missing or has the wrong shape
   */
  public static MarianModel load(MarianConfig spec, TensorSource source, GemmPrecision precision) {
    return load(spec, LayerLoader.of(source, precision, LayerLoader.Options.defaults()));
  }

  /** Loads the weights with a configured {@link LayerLoader} (quantization options, calibration). */
  public static MarianModel load(MarianConfig spec, LayerLoader loader) {
    int d = spec.dModel();
    LayerLoader.Tables tables = loader.tables(spec);
    float[] encPos = loader.positions(MarianNames.ENCODER_POSITIONS, spec);
    float[] decPos = loader.positions(MarianNames.DECODER_POSITIONS, spec);
    if (encPos == null || decPos == null) {
      float[] table = Sinusoids.table(spec.maxPositionEmbeddings(), d);
      encPos = encPos != null ? encPos : table;
      decPos = decPos != null ? decPos : table;
    }
    // HF: embed_scale = math.sqrt(d_model) (a double), multiplied into a float32 tensor.
    Embeddings embeddings = new Embeddings(tables.encoder(), tables.decoder(), encPos, decPos, spec.embeddingScale());
    boolean preNorm = spec.norms().normalizeBefore();
    EncoderLayer[] enc = new EncoderLayer[spec.encoderLayers()];
    for (int i = 0; i < enc.length; i++) {
      String p = MarianNames.encoderLayer(i);
      Dense[] sa = loader.projections(p + MarianNames.SELF_ATTENTION, d);
      enc[i] =
          new EncoderLayer(
              new SelfAttention(sa[0], sa[1], sa[2], sa[3], spec.encoderAttentionHeads()),
              loader.layerNorm(p + MarianNames.SELF_ATTENTION_NORM, d),
              feedForward(loader, p, spec, spec.encoderFfnDim()),
              loader.layerNorm(p + MarianNames.FEED_FORWARD_NORM, d),
              preNorm);
    }
    DecoderLayer[] dec = new DecoderLayer[spec.decoderLayers()];
    for (int i = 0; i < dec.length; i++) {
      String p = MarianNames.decoderLayer(i);
      Dense[] sa = loader.projections(p + MarianNames.SELF_ATTENTION, d);
      Dense[] ca = loader.projections(p + MarianNames.CROSS_ATTENTION, d);
      dec[i] =
          new DecoderLayer(
              new SelfAttention(sa[0], sa[1], sa[2], sa[3], spec.decoderAttentionHeads()),
              loader.layerNorm(p + MarianNames.SELF_ATTENTION_NORM, d),
              new CrossAttention(ca[0], ca[1], ca[2], ca[3], spec.decoderAttentionHeads()),
              loader.layerNorm(p + MarianNames.CROSS_ATTENTION_NORM, d),
              feedForward(loader, p, spec, spec.decoderFfnDim()),
              loader.layerNorm(p + MarianNames.FEED_FORWARD_NORM, d),
              preNorm);
    }
    MarianConfig.Norms norms = spec.norms();
    StackNorms encNorms =
        new StackNorms(
            norms.normalizeEmbedding() ? loader.layerNorm(MarianNames.ENCODER_EMBEDDING_NORM, d) : null,
            norms.finalLayerNorm() ? loader.layerNorm(MarianNames.ENCODER_FINAL_NORM, d) : null);
    StackNorms decNorms =
        new StackNorms(
            norms.normalizeEmbedding() ? loader.layerNorm(MarianNames.DECODER_EMBEDDING_NORM, d) : null,
            norms.finalLayerNorm() ? loader.layerNorm(MarianNames.DECODER_FINAL_NORM, d) : null);
    return new MarianModel(
        spec, loader.precision(), embeddings, List.of(enc), List.of(dec), tables.output(), encNorms, decNorms);
  }

  private static FeedForward feedForward(LayerLoader loader, String prefix, MarianConfig spec, int ffn) {
    int d = spec.dModel();
    return new FeedForward(
        loader.dense(prefix + MarianNames.FC1, ffn, d), loader.dense(prefix + MarianNames.FC2, d, ffn), spec.activation());
  }

  /**
   * Runs the encoder on a mini-batch: embeddings, then every {@link EncoderLayer} in place on the packed
   * rows.
   *
   * @param sources token ids per sentence, {@code </s>} included; each 1 ≤ length ≤ maxPositions, ids
   *     inside the source vocabulary
   */
  public EncodedBatch encode(int[][] sources) {
    int d = spec.dModel();
    int n = sources.length;
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    int total = 0;
    for (int s = 0; s < n; s++) {
      int len = sources[s].length;
      if (len < 1 || len > spec.maxPositionEmbeddings()) {
        throw new IllegalArgumentException(
            "source " + s + " has " + len + " tokens; must be 1.." + spec.maxPositionEmbeddings());
      }
      offsets[s] = total;
      lengths[s] = len;
      total += len;
    }
    float[] x = new float[total * d];
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < lengths[s]; i++) {
        int id = sources[s][i];
        if (id < 0 || id >= spec.sourceVocabSize()) {
          throw new IllegalArgumentException(
              "source " + s + " token " + i + " id " + id + " is outside the vocabulary");
        }
        embeddings.embedSource(id, i, x, (offsets[s] + i) * d);
      }
    }
    PackedBatch batch = new PackedBatch(offsets, lengths, total);
    Workspace ws = new Workspace();
    ws.ensureRows(total, d, spec.encoderFfnDim());
    StackNorms.apply(encoderNorms.embedding(), x, total);
    for (EncoderLayer layer : encoderLayers) {
      layer.forward(x, batch, ws);
    }
    StackNorms.apply(encoderNorms.last(), x, total);
    return new EncodedBatch(x, offsets, lengths, total, d);
  }

  /**
   * Starts decoding an encoded batch: one row per sentence, nothing generated. The cross-attention keys
   * and values of every decoder layer are computed here, once per sentence.
   */
  public DecoderSession startDecoding(EncodedBatch encoded) {
    return new MarianDecoderSession(this, encoded, null);
  }

  /**
   * Starts decoding with a lexical shortlist: the output layer is computed on {@code columns.columns()}
   * only ({@link Dense#select}, once per batch), and each row holds the logits of its sentence's allowed
   * ids only ({@link BatchColumns#gather}, {@link DecoderSession#rowIds}); every other id scores −∞.
   */
  public DecoderSession startDecoding(EncodedBatch encoded, BatchColumns columns) {
    if (columns.sentences() != encoded.sentences()) {
      throw new IllegalArgumentException(
          "shortlist columns for " + columns.sentences() + " sentences, batch of " + encoded.sentences());
    }
    return new MarianDecoderSession(this, encoded, columns);
  }
}
