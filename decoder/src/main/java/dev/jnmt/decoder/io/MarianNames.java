package dev.jnmt.decoder.io;

import dev.jnmt.decoder.config.MarianConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face MarianMT tensor naming scheme, in one place: canonical names (without HF's optional
 * {@code model.} prefix) of every tensor the forward pass reads, with their shapes. The loader, the
 * checkpoint validator and the converter all take their names from here.
 */
public final class MarianNames {

  private MarianNames() {}

  /** HF's optional prefix of stored names. */
  public static final String PREFIX = "model.";
  /** The shared source/target embedding. */
  public static final String SHARED = "shared.weight";
  /** The encoder's token embedding. */
  public static final String ENCODER_EMBEDDING = "encoder.embed_tokens.weight";
  /** The decoder's token embedding. */
  public static final String DECODER_EMBEDDING = "decoder.embed_tokens.weight";
  /** The output layer's weight (also the canonical name when it is tied to the embedding). */
  public static final String OUTPUT_LAYER = "lm_head.weight";
  /** The output layer's bias, [1 × target vocabulary]. */
  public static final String FINAL_LOGITS_BIAS = "final_logits_bias";
  /** Stored encoder position table (optional; sinusoids otherwise). */
  public static final String ENCODER_POSITIONS = "encoder.embed_positions.weight";
  /** Stored decoder position table (optional; sinusoids otherwise). */
  public static final String DECODER_POSITIONS = "decoder.embed_positions.weight";

  /** Sub-module names inside a layer. */
  public static final String SELF_ATTENTION = "self_attn.";
  public static final String CROSS_ATTENTION = "encoder_attn.";
  public static final String SELF_ATTENTION_NORM = "self_attn_layer_norm.";
  public static final String CROSS_ATTENTION_NORM = "encoder_attn_layer_norm.";
  public static final String FC1 = "fc1.";
  public static final String FC2 = "fc2.";
  public static final String FEED_FORWARD_NORM = "final_layer_norm.";
  /** The four projections of an attention block, in the order q, k, v, out. */
  public static final List<String> PROJECTIONS = List.of("q_proj.", "k_proj.", "v_proj.", "out_proj.");
  /** Parameter suffixes. */
  public static final String WEIGHT = "weight";
  public static final String BIAS = "bias";

  /** The LayerNorm after the embeddings (config normalize_embedding), per stack. */
  public static final String ENCODER_EMBEDDING_NORM = "encoder.layernorm_embedding.";
  public static final String DECODER_EMBEDDING_NORM = "decoder.layernorm_embedding.";
  /** The LayerNorm after the last layer (config add_final_layer_norm), per stack. */
  public static final String ENCODER_FINAL_NORM = "encoder.layer_norm.";
  public static final String DECODER_FINAL_NORM = "decoder.layer_norm.";

  /**
   * The weights of the optional stack LayerNorms that {@code c} does not ask for, each with the
   * config.json key that would: a checkpoint that stores one was made for another architecture.
   */
  public static Map<String, String> unexpectedNorms(MarianConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    if (!c.norms().normalizeEmbedding()) {
      m.put(ENCODER_EMBEDDING_NORM + WEIGHT, "normalize_embedding");
      m.put(DECODER_EMBEDDING_NORM + WEIGHT, "normalize_embedding");
    }
    if (!c.norms().finalLayerNorm()) {
      m.put(ENCODER_FINAL_NORM + WEIGHT, "add_final_layer_norm");
      m.put(DECODER_FINAL_NORM + WEIGHT, "add_final_layer_norm");
    }
    return m;
  }

  /** Prefix of encoder layer i, e.g. {@code encoder.layers.0.}. */
  public static String encoderLayer(int i) {
    return "encoder.layers." + i + ".";
  }

  /** Prefix of decoder layer i, e.g. {@code decoder.layers.0.}. */
  public static String decoderLayer(int i) {
    return "decoder.layers." + i + ".";
  }

  /** The canonical name of a stored key (without HF's optional {@code model.} prefix). */
  public static String canonical(String stored) {
    return stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()) : stored;
  }

  /** How a canonical name is written in messages (with the prefix HF stores, except the output layer). */
  public static String stored(String canonical) {
    return canonical.startsWith("lm_head") || canonical.equals(FINAL_LOGITS_BIAS) ? canonical : PREFIX + canonical;
  }

  /** Candidates for the encoder embedding, in the order HF's tie rules prefer them. */
  public static List<String> sharedEmbeddingCandidates(boolean tieWordEmbeddings) {
    List<String> order = new ArrayList<>(List.of(SHARED, ENCODER_EMBEDDING, DECODER_EMBEDDING));
    if (tieWordEmbeddings) {
      order.add(OUTPUT_LAYER);
    }
    return order;
  }

  /** The embedding a tied output layer reads (the loader's choice). */
  public static String tiedEmbedding(MarianConfig c) {
    return c.shareEncoderDecoderEmbeddings() ? SHARED : DECODER_EMBEDDING;
  }

  /** Every dense-layer weight of the encoder and decoder stacks (not the output layer), in load order. */
  public static List<String> denseWeights(MarianConfig c) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < c.encoderLayers(); i++) {
      String p = encoderLayer(i);
      for (String proj : PROJECTIONS) {
        out.add(p + SELF_ATTENTION + proj + WEIGHT);
      }
      out.add(p + FC1 + WEIGHT);
      out.add(p + FC2 + WEIGHT);
    }
    for (int i = 0; i < c.decoderLayers(); i++) {
      String p = decoderLayer(i);
      for (String att : List.of(SELF_ATTENTION, CROSS_ATTENTION)) {
        for (String proj : PROJECTIONS) {
          out.add(p + att + proj + WEIGHT);
        }
      }
      out.add(p + FC1 + WEIGHT);
      out.add(p + FC2 + WEIGHT);
    }
    return out;
  }

  /**
   * The tensors a MarianMT forward pass reads, with their HF shapes ([out, in] for linear weights), in a
   * stable order. Stored position tables (optional) are not listed.
   */
  public static Map<String, long[]> expectedShapes(MarianConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    long d = c.dModel();
    long vs = c.sourceVocabSize();
    long vt = c.targetVocabSize();
    if (c.shareEncoderDecoderEmbeddings()) {
      m.put(SHARED, new long[] {vs, d});
    }
    m.put(ENCODER_EMBEDDING, new long[] {vs, d});
    m.put(DECODER_EMBEDDING, new long[] {vt, d});
    m.put(OUTPUT_LAYER, new long[] {vt, d});
    m.put(FINAL_LOGITS_BIAS, new long[] {1, vt});
    if (c.norms().normalizeEmbedding()) {
      layerNorm(m, ENCODER_EMBEDDING_NORM, d);
      layerNorm(m, DECODER_EMBEDDING_NORM, d);
    }
    if (c.norms().finalLayerNorm()) {
      layerNorm(m, ENCODER_FINAL_NORM, d);
      layerNorm(m, DECODER_FINAL_NORM, d);
    }
    for (int i = 0; i < c.encoderLayers(); i++) {
      String p = encoderLayer(i);
      attention(m, p + SELF_ATTENTION, d);
      layerNorm(m, p + SELF_ATTENTION_NORM, d);
      ffn(m, p, d, c.encoderFfnDim());
      layerNorm(m, p + FEED_FORWARD_NORM, d);
    }
    for (int i = 0; i < c.decoderLayers(); i++) {
      String p = decoderLayer(i);
      attention(m, p + SELF_ATTENTION, d);
      layerNorm(m, p + SELF_ATTENTION_NORM, d);
      attention(m, p + CROSS_ATTENTION, d);
      layerNorm(m, p + CROSS_ATTENTION_NORM, d);
      ffn(m, p, d, c.decoderFfnDim());
      layerNorm(m, p + FEED_FORWARD_NORM, d);
    }
    return m;
  }

  private static void attention(Map<String, long[]> m, String p, long d) {
    for (String proj : PROJECTIONS) {
      m.put(p + proj + WEIGHT, new long[] {d, d});
      m.put(p + proj + BIAS, new long[] {d});
    }
  }

  private static void layerNorm(Map<String, long[]> m, String p, long d) {
    m.put(p + WEIGHT, new long[] {d});
    m.put(p + BIAS, new long[] {d});
  }

  private static void ffn(Map<String, long[]> m, String p, long d, long f) {
    m.put(p + FC1 + WEIGHT, new long[] {f, d});
    m.put(p + FC1 + BIAS, new long[] {f});
    m.put(p + FC2 + WEIGHT, new long[] {d, f});
    m.put(p + FC2 + BIAS, new long[] {d});
  }
}
