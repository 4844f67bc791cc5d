package dev.jnmt.decoder.model;

import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.io.CheckpointException;
import dev.jnmt.decoder.io.TensorSource;
import dev.jnmt.decoder.ops.FloatOps;
import dev.jnmt.decoder.quant.LayerLoader;
import dev.jnmt.decoder.search.DecoderSession;

/**
 * Hugging Face MarianMT at inference (shared/docs/marian-checkpoints.md §1.3): scaled token embeddings
 * plus sinusoids, post-LN encoder and decoder layers, output logits {@code y·Eᵀ + final_logits_bias}.
 * Immutable after loading and safe to share between threads; per-translation state lives in {@link
 * EncodedBatch} and the sessions of {@link #startDecoding}.
 */
public final class MarianModel {

  record EncoderLayer(Attention selfAttn, LayerNorm selfLn, QuantizableDense fc1, QuantizableDense fc2, LayerNorm ffnLn) {}

  record DecoderLayer(
      Attention selfAttn,
      LayerNorm selfLn,
      Attention crossAttn,
      LayerNorm crossLn,
      QuantizableDense fc1,
      QuantizableDense fc2,
      LayerNorm ffnLn) {}

  private final MarianConfig spec;
  private final GemmPrecision precision;
  final EmbeddingTable encoderEmbedding;
  final EmbeddingTable decoderEmbedding;
  final float[] encoderPositions;
  final float[] decoderPositions;
  final float embedScale;
  final EncoderLayer[] encoderLayers;
  final DecoderLayer[] decoderLayers;
  final QuantizableDense outputLayer;

  private MarianModel(
      MarianConfig spec,
      GemmPrecision precision,
      EmbeddingTable encoderEmbedding,
      EmbeddingTable decoderEmbedding,
      float[] encoderPositions,
      float[] decoderPositions,
      EncoderLayer[] encoderLayers,
      DecoderLayer[] decoderLayers,
      QuantizableDense outputLayer) {
    this.spec = spec;
    this.precision = precision;
    this.encoderEmbedding = encoderEmbedding;
    this.decoderEmbedding = decoderEmbedding;
    this.encoderPositions = encoderPositions;
    this.decoderPositions = decoderPositions;
    // HF: embed_scale = math.sqrt(d_model) (a double), multiplied into a float32 tensor.
    this.embedScale = spec.embeddingScale();
    this.encoderLayers = encoderLayers;
    this.decoderLayers = decoderLayers;
    this.outputLayer = outputLayer;
  }

  /** The architecture. */
  public MarianConfig spec() {
    return spec;
  }

  /** The precision of the dense layers. */
  public GemmPrecision precision() {
    return precision;
  }

  /**
   * Loads the weights (HF names without the {@code model.} prefix) and builds the dense layers; a
   * quantized precision quantizes them at load, or reads a converted checkpoint's integers
   * ({@link LayerLoader}).
   *
   * @throws CheckpointException naming the tensor when one is missing or has the wrong shape
   */
  public static MarianModel load(MarianConfig spec, TensorSource source, GemmPrecision precision) {
    return load(spec, source, LayerLoader.of(source, precision, LayerLoader.Options.defaults()));
  }

  /** Loads the weights with a configured {@link LayerLoader} (quantization options, calibration). */
  public static MarianModel load(MarianConfig spec, TensorSource source, LayerLoader loader) {
    int d = spec.dModel();
    LayerLoader.Embeddings embeddings = loader.embeddings(spec);
    float[] table = null;
    float[] encPos = positions(source, "encoder.embed_positions.weight", spec);
    float[] decPos = positions(source, "decoder.embed_positions.weight", spec);
    if (encPos == null || decPos == null) {
      table = Sinusoids.table(spec.maxPositionEmbeddings(), d);
    }
    EncoderLayer[] enc = new EncoderLayer[spec.encoderLayers()];
    for (int i = 0; i < enc.length; i++) {
      String p = "encoder.layers." + i + ".";
      enc[i] =
          new EncoderLayer(
              attention(loader, p + "self_attn.", d, spec.encoderAttentionHeads()),
              layerNorm(source, p + "self_attn_layer_norm.", spec),
              loader.dense(p + "fc1.", spec.encoderFfnDim(), d),
              loader.dense(p + "fc2.", d, spec.encoderFfnDim()),
              layerNorm(source, p + "final_layer_norm.", spec));
    }
    DecoderLayer[] dec = new DecoderLayer[spec.decoderLayers()];
    for (int i = 0; i < dec.length; i++) {
      String p = "decoder.layers." + i + ".";
      dec[i] =
          new DecoderLayer(
              attention(loader, p + "self_attn.", d, spec.decoderAttentionHeads()),
              layerNorm(source, p + "self_attn_layer_norm.", spec),
              attention(loader, p + "encoder_attn.", d, spec.decoderAttentionHeads()),
              layerNorm(source, p + "encoder_attn_layer_norm.", spec),
              loader.dense(p + "fc1.", spec.decoderFfnDim(), d),
              loader.dense(p + "fc2.", d, spec.decoderFfnDim()),
              layerNorm(source, p + "final_layer_norm.", spec));
    }
    return new MarianModel(
        spec,
        loader.precision(),
        embeddings.encoder(),
        embeddings.decoder(),
        encPos != null ? encPos : table,
        decPos != null ? decPos : table,
        enc,
        dec,
        embeddings.output());
  }

  private static float[] positions(TensorSource source, String name, MarianConfig spec) {
    if (!source.contains(name)) {
      return null;
    }
    return source.floats(name, spec.maxPositionEmbeddings(), spec.dModel());
  }

  private static Attention attention(LayerLoader loader, String prefix, int d, int heads) {
    return new Attention(
        loader.dense(prefix + "q_proj.", d, d),
        loader.dense(prefix + "k_proj.", d, d),
        loader.dense(prefix + "v_proj.", d, d),
        loader.dense(prefix + "out_proj.", d, d),
        heads);
  }

  private static LayerNorm layerNorm(TensorSource source, String prefix, MarianConfig spec) {
    int d = spec.dModel();
    return new LayerNorm(
        source.floats(prefix + "weight", d), source.floats(prefix + "bias", d), MarianConfig.LAYER_NORM_EPS);
  }

  /**
   * Runs the encoder on a mini-batch.
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
    int longest = 0;
    for (int s = 0; s < n; s++) {
      int len = sources[s].length;
      if (len < 1 || len > spec.maxPositionEmbeddings()) {
        throw new IllegalArgumentException(
            "source " + s + " has " + len + " tokens; must be 1.." + spec.maxPositionEmbeddings());
      }
      offsets[s] = total;
      lengths[s] = len;
      total += len;
      longest = Math.max(longest, len);
    }
    float[] x = new float[total * d];
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < lengths[s]; i++) {
        int id = sources[s][i];
        if (id < 0 || id >= spec.sourceVocabSize()) {
          throw new IllegalArgumentException(
              "source " + s + " token " + i + " id " + id + " is outside the vocabulary");
        }
        embed(encoderEmbedding, id, encoderPositions, i, x, (offsets[s] + i) * d);
      }
    }
    int f = spec.encoderFfnDim();
    float[] q = new float[total * d];
    float[] k = new float[total * d];
    float[] v = new float[total * d];
    float[] ctx = new float[total * d];
    int[] ktOffsets = new int[n];
    int ktSize = 0;
    for (int s = 0; s < n; s++) {
      ktOffsets[s] = ktSize;
      ktSize += d * FloatOps.roundUpToPad(lengths[s]);
    }
    float[] kt = new float[ktSize];
    float[] hidden = new float[total * Math.max(f, d)];
    float[] scores = new float[FloatOps.roundUpToPad(longest)];
    int heads = spec.encoderAttentionHeads();
    float scaling = Attention.scaling(d, heads);
    for (EncoderLayer layer : encoderLayers) {
      Attention a = layer.selfAttn();
      a.q().forward(x, total, q);
      a.k().forward(x, total, k);
      a.v().forward(x, total, v);
      for (int s = 0; s < n; s++) {
        int base = offsets[s] * d;
        int len = lengths[s];
        int stride = FloatOps.roundUpToPad(len);
        Attention.transpose(k, base, len, d, kt, ktOffsets[s], stride);
        for (int i = 0; i < len; i++) {
          int row = (offsets[s] + i) * d;
          Attention.attend(
              q, row, kt, ktOffsets[s], stride, v, base, len, d, heads, scaling, ctx, row, scores);
        }
      }
      a.out().forward(ctx, total, q);
      FloatOps.add(q, 0, x, 0, total * d);
      layer.selfLn().apply(x, total, d);
      layer.fc1().forward(x, total, hidden);
      FloatOps.activate(spec.activation(), hidden, 0, total * f);
      layer.fc2().forward(hidden, total, q);
      FloatOps.add(q, 0, x, 0, total * d);
      layer.ffnLn().apply(x, total, d);
    }
    return new EncodedBatch(x, offsets, lengths, total, d);
  }

  /** x[xo..] = E[id]·scale + P[pos], as two rounded float operations (no fused multiply-add). */
  void embed(EmbeddingTable table, int id, float[] positions, int pos, float[] x, int xo) {
    table.embed(id, embedScale, positions, pos * spec.dModel(), x, xo);
  }

  /**
   * Starts decoding an encoded batch: one row per sentence, nothing generated. The cross-attention keys
   * and values of every decoder layer are computed here, once per sentence.
   */
  public DecoderSession startDecoding(EncodedBatch encoded) {
    return new MarianDecoderSession(this, encoded);
  }
}
