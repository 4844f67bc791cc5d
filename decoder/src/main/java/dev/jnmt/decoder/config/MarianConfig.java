package dev.jnmt.decoder.config;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import java.nio.file.Path;

/**
 * The architecture part of a Hugging Face MarianMT {@code config.json} (model_type "marian").
 *
 * <p>Keys missing from the file take the defaults of HF's {@code MarianConfig} class (not the opus-mt
 * values): vocab_size 58101, d_model 1024, 12+12 layers, 16 heads, FFN 4096, activation "gelu",
 * scale_embedding false, max_position_embeddings 1024, pad 58100, eos 0, decoder start 58100,
 * share_encoder_decoder_embeddings true, tie_word_embeddings true.
 *
 * <p>The architecture is fixed otherwise: post-norm layers, no embedding or final stack LayerNorm,
 * sinusoidal positions (sin half then cos half), LayerNorm eps {@link #LAYER_NORM_EPS}. Configs that ask
 * for a variant (normalize_before, normalize_embedding, add_final_layer_norm) are refused by {@link #read}.
 *
 * @param vocabSize rows of the shared (or encoder) embedding, pad row included
 * @param decoderVocabSize rows of the decoder embedding, lm_head and final_logits_bias when the
 *     vocabularies are separate; equal to vocabSize otherwise
 * @param shareEncoderDecoderEmbeddings false: separate source and target embeddings (target_vocab.json)
 * @param tieWordEmbeddings lm_head is the decoder input embedding
 * @param dModel model width d
 * @param encoderLayers number of encoder layers
 * @param decoderLayers number of decoder layers
 * @param encoderAttentionHeads heads per encoder attention (d is a multiple)
 * @param decoderAttentionHeads heads per decoder attention (d is a multiple)
 * @param encoderFfnDim encoder fc1 output width
 * @param decoderFfnDim decoder fc1 output width
 * @param activation FFN activation
 * @param scaleEmbedding multiply token embeddings by sqrt(d) (opus-mt: true)
 * @param maxPositionEmbeddings rows of the sinusoid table
 * @param padTokenId pad id (also the usual decoder start)
 * @param eosTokenId {@code </s>} id
 * @param decoderStartTokenId first decoder input id
 */
public record MarianConfig(
    int vocabSize,
    int decoderVocabSize,
    boolean shareEncoderDecoderEmbeddings,
    boolean tieWordEmbeddings,
    int dModel,
    int encoderLayers,
    int decoderLayers,
    int encoderAttentionHeads,
    int decoderAttentionHeads,
    int encoderFfnDim,
    int decoderFfnDim,
    Activation activation,
    boolean scaleEmbedding,
    int maxPositionEmbeddings,
    int padTokenId,
    int eosTokenId,
    int decoderStartTokenId) {

  /** LayerNorm epsilon of HF MarianMT (torch's default; C++ Marian uses 1e-6). */
  public static final float LAYER_NORM_EPS = 1e-5f;

  public MarianConfig {
    if (activation == null) {
      throw new IllegalArgumentException("activation must not be null");
    }
    positive("vocab_size", vocabSize);
    positive("decoder_vocab_size", decoderVocabSize);
    positive("d_model", dModel);
    positive("encoder_layers", encoderLayers);
    positive("decoder_layers", decoderLayers);
    positive("encoder_attention_heads", encoderAttentionHeads);
    positive("decoder_attention_heads", decoderAttentionHeads);
    positive("encoder_ffn_dim", encoderFfnDim);
    positive("decoder_ffn_dim", decoderFfnDim);
    positive("max_position_embeddings", maxPositionEmbeddings);
    // Upper limits, so that a bad config is a one-line error at load and not an OutOfMemoryError or
    // an int overflow later: every table is one Java array (at most 2^31 - 1 elements).
    atMost("vocab_size", vocabSize, MAX_VOCAB);
    atMost("decoder_vocab_size", decoderVocabSize, MAX_VOCAB);
    atMost("d_model", dModel, MAX_WIDTH);
    atMost("encoder_ffn_dim", encoderFfnDim, MAX_WIDTH);
    atMost("decoder_ffn_dim", decoderFfnDim, MAX_WIDTH);
    atMost("encoder_layers", encoderLayers, MAX_LAYERS);
    atMost("decoder_layers", decoderLayers, MAX_LAYERS);
    atMost("max_position_embeddings", maxPositionEmbeddings, MAX_POSITIONS);
    fitsOneArray("vocab_size × d_model", (long) vocabSize * dModel);
    fitsOneArray("decoder_vocab_size × d_model", (long) decoderVocabSize * dModel);
    fitsOneArray("d_model × encoder_ffn_dim", (long) dModel * encoderFfnDim);
    fitsOneArray("d_model × decoder_ffn_dim", (long) dModel * decoderFfnDim);
    fitsOneArray("max_position_embeddings × d_model", (long) maxPositionEmbeddings * dModel);
    if (dModel % 2 != 0) {
      throw new IllegalArgumentException("d_model " + dModel + " is odd; the sinusoid table needs an even width");
    }
    if (dModel % encoderAttentionHeads != 0) {
      throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of encoder_attention_heads " + encoderAttentionHeads);
    }
    if (dModel % decoderAttentionHeads != 0) {
      throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of decoder_attention_heads " + decoderAttentionHeads);
    }
    int target = shareEncoderDecoderEmbeddings ? vocabSize : decoderVocabSize;
    if (shareEncoderDecoderEmbeddings && decoderVocabSize != vocabSize) {
      throw new IllegalArgumentException("decoder_vocab_size " + decoderVocabSize + " differs from vocab_size " + vocabSize + " but share_encoder_decoder_embeddings is true");
    }
    inRange("pad_token_id", padTokenId, vocabSize);
    inRange("eos_token_id", eosTokenId, target);
    inRange("decoder_start_token_id", decoderStartTokenId, target);
  }

  /** Largest accepted vocabulary (2^24 pieces). */
  public static final int MAX_VOCAB = 1 << 24;

  /** Largest accepted d_model and FFN width. */
  public static final int MAX_WIDTH = 1 << 16;

  /** Largest accepted number of layers per stack. */
  public static final int MAX_LAYERS = 1024;

  /** Largest accepted max_position_embeddings. */
  public static final int MAX_POSITIONS = 1 << 16;

  private static void atMost(String key, int v, int max) {
    if (v > max) {
      throw new IllegalArgumentException(key + " " + v + " is above the limit " + max);
    }
  }

  private static void fitsOneArray(String what, long elements) {
    if (elements > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(what + " = " + elements + " elements is more than one Java array holds");
    }
  }

  private static void positive(String key, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + v);
    }
  }

  private static void inRange(String key, int id, int size) {
    if (id < 0 || id >= size) {
      throw new IllegalArgumentException(key + " " + id + " is outside the vocabulary [0, " + size + ")");
    }
  }

  /** Rows of the encoder embedding. */
  public int sourceVocabSize() {
    return vocabSize;
  }

  /** Rows of the decoder embedding, lm_head and final_logits_bias (the logits width). */
  public int targetVocabSize() {
    return shareEncoderDecoderEmbeddings ? vocabSize : decoderVocabSize;
  }

  public int encoderHeadDim() {
    return dModel / encoderAttentionHeads;
  }

  public int decoderHeadDim() {
    return dModel / decoderAttentionHeads;
  }

  /** sqrt(d) computed in double and rounded to float when scale_embedding, else 1 (as HF does). */
  public float embeddingScale() {
    return scaleEmbedding ? (float) Math.sqrt(dModel) : 1.0f;
  }

  /**
   * Reads and validates a config.json.
   *
   * @throws CheckpointException "path: ..." for unreadable JSON, a wrong value type, an invalid value or
   *     an unsupported variant
   */
  public static MarianConfig read(Path configJson) {
    return fromJson(JsonFiles.readObject(configJson), configJson);
  }

  /** Builds the config from a parsed config.json; {@code source} names the file in errors. */
  public static MarianConfig fromJson(Json root, Path source) {
    JsonFiles.Fields f = new JsonFiles.Fields(source, root);
    String modelType = f.string("model_type", "marian");
    if (!modelType.equals("marian")) {
      throw f.error("model_type \"" + modelType + "\" is not supported (jnmt loads Hugging Face MarianMT checkpoints, model_type \"marian\")");
    }
    refuse(f, "normalize_before", "pre-norm layers (normalize_before=true)");
    refuse(f, "normalize_embedding", "an embedding LayerNorm (normalize_embedding=true)");
    refuse(f, "add_final_layer_norm", "a final stack LayerNorm (add_final_layer_norm=true)");
    String act = f.string("activation_function", "gelu");
    Activation activation =
        Activation.fromHfName(act)
            .orElseThrow(() -> f.error("activation_function \"" + act + "\" is not supported (supported: " + Activation.supportedNames() + ")"));
    int vocab = f.integer("vocab_size", 58101);
    boolean share = f.bool("share_encoder_decoder_embeddings", true);
    int decoderVocab = f.integer("decoder_vocab_size", vocab);
    if (share && f.has("decoder_vocab_size") && decoderVocab != vocab) {
      // HF sizes everything by vocab_size when the embeddings are shared and ignores this key.
      decoderVocab = vocab;
    }
    try {
      return new MarianConfig(
          vocab,
          decoderVocab,
          share,
          f.bool("tie_word_embeddings", true),
          f.integer("d_model", 1024),
          f.integer("encoder_layers", 12),
          f.integer("decoder_layers", 12),
          f.integer("encoder_attention_heads", 16),
          f.integer("decoder_attention_heads", 16),
          f.integer("encoder_ffn_dim", 4096),
          f.integer("decoder_ffn_dim", 4096),
          activation,
          f.bool("scale_embedding", false),
          f.integer("max_position_embeddings", 1024),
          f.integer("pad_token_id", 58100),
          f.integer("eos_token_id", 0),
          f.integer("decoder_start_token_id", 58100));
    } catch (IllegalArgumentException e) {
      throw f.error(e.getMessage());
    }
  }

  private static void refuse(JsonFiles.Fields f, String key, String what) {
    if (f.has(key) && f.node().get(key).isBoolean() && f.node().get(key).booleanValue()) {
      throw f.error(what + " is not supported: jnmt runs the post-norm transformer of Hugging Face MarianMT");
    }
    f.bool(key, false);
  }

  /**
   * This config as a config.json object (model_type "marian", every field above, plus the legacy keys
   * HF writes), suitable for {@link #fromJson}.
   */
  public Json toJson() {
    Json o = Json.object();
    o.put("model_type", "marian");
    o.put("architectures", Json.array().add("MarianMTModel"));
    o.put("vocab_size", vocabSize);
    o.put("decoder_vocab_size", decoderVocabSize);
    o.put("share_encoder_decoder_embeddings", shareEncoderDecoderEmbeddings);
    o.put("tie_word_embeddings", tieWordEmbeddings);
    o.put("d_model", dModel);
    o.put("encoder_layers", encoderLayers);
    o.put("decoder_layers", decoderLayers);
    o.put("encoder_attention_heads", encoderAttentionHeads);
    o.put("decoder_attention_heads", decoderAttentionHeads);
    o.put("encoder_ffn_dim", encoderFfnDim);
    o.put("decoder_ffn_dim", decoderFfnDim);
    o.put("activation_function", activation.hfName());
    o.put("scale_embedding", scaleEmbedding);
    o.put("max_position_embeddings", maxPositionEmbeddings);
    o.put("pad_token_id", padTokenId);
    o.put("eos_token_id", eosTokenId);
    o.put("decoder_start_token_id", decoderStartTokenId);
    o.put("normalize_before", false);
    o.put("normalize_embedding", false);
    o.put("add_final_layer_norm", false);
    o.put("static_position_embeddings", true);
    o.put("is_encoder_decoder", true);
    return o;
  }
}
