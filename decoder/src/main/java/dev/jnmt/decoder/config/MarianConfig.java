// Over 400 lines: the config.json contract in one place: the four groups with their limits and HF's
// defaults, reading and writing config.json, the builder and the flat accessors that read through the groups.
package dev.jnmt.decoder.config;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import java.nio.file.Path;

/**
 * The architecture part of a Hugging Face MarianMT {@code config.json} (model_type "marian"), in four
 * groups: the {@link Vocabulary vocabularies}, the model width and the two {@link Stack stacks}, the
 * {@link Norms LayerNorm placement}, and the {@link SpecialTokens special token ids}. The flat accessors
 * ({@link #dModel()}, {@link #encoderLayers()}, {@link #padTokenId()}, ...) read through the groups.
 * Tests and tools build one with {@link #builder()}.
 *
 * <p>Keys missing from the file take the defaults of HF's {@code MarianConfig} class (not the opus-mt
 * values): vocab_size 58101, d_model 1024, 12+12 layers, 16 heads, FFN 4096, activation "gelu",
 * scale_embedding false, max_position_embeddings 1024, pad 58100, eos 0, decoder start 58100,
 * share_encoder_decoder_embeddings true, tie_word_embeddings true.
 *
 * <p>The LayerNorms sit where {@link Norms} says: post-norm layers by default (MarianMT), or the BART-family
 * variants of the config keys normalize_before, normalize_embedding and add_final_layer_norm, one flag each.
 * The architecture is fixed otherwise: sinusoidal positions (sin half then cos half; a config asking for
 * learned ones, static_position_embeddings false, is refused), LayerNorm eps {@link #LAYER_NORM_EPS}.
 *
 * @param vocabulary embedding sizes and sharing
 * @param dModel model width d
 * @param encoder the encoder stack
 * @param decoder the decoder stack
 * @param activation FFN activation
 * @param norms where the LayerNorms sit (post-norm MarianMT, or the pre-norm BART-family variants)
 * @param tokens pad, {@code </s>} and decoder start ids
 */
public record MarianConfig(
    Vocabulary vocabulary,
    int dModel,
    Stack encoder,
    Stack decoder,
    Activation activation,
    Norms norms,
    SpecialTokens tokens) {

  /**
   * The embedding tables.
   *
   * @param vocabSize rows of the shared (or encoder) embedding, pad row included
   * @param decoderVocabSize rows of the decoder embedding, lm_head and final_logits_bias when the
   *     vocabularies are separate; equal to vocabSize otherwise
   * @param shareEncoderDecoderEmbeddings false: separate source and target embeddings (target_vocab.json)
   * @param tieWordEmbeddings lm_head is the decoder input embedding
   * @param scaleEmbedding multiply token embeddings by sqrt(d) (opus-mt: true)
   * @param maxPositionEmbeddings rows of the sinusoid table
   */
  public record Vocabulary(
      int vocabSize,
      int decoderVocabSize,
      boolean shareEncoderDecoderEmbeddings,
      boolean tieWordEmbeddings,
      boolean scaleEmbedding,
      int maxPositionEmbeddings) {}

  /**
   * One stack of transformer layers.
   *
   * @param layers number of layers
   * @param attentionHeads heads per attention (d is a multiple)
   * @param ffnDim fc1 output width
   */
  public record Stack(int layers, int attentionHeads, int ffnDim) {}

  /**
   * Where the LayerNorms sit; {@link #POST_NORM} is MarianMT's.
   *
   * @param normalizeBefore pre-norm layers: each block normalises its input, {@code x + f(LN(x))}
   *     (config key normalize_before), instead of {@code LN(x + f(x))}
   * @param normalizeEmbedding a LayerNorm after the embedding sum, before the first layer (normalize_embedding,
   *     tensors {@code encoder/decoder.layernorm_embedding})
   * @param finalLayerNorm a LayerNorm after the last layer of each stack (add_final_layer_norm, tensors
   *     {@code encoder/decoder.layer_norm})
   */
  public record Norms(boolean normalizeBefore, boolean normalizeEmbedding, boolean finalLayerNorm) {
    /** MarianMT: post-norm layers, no embedding or final stack LayerNorm. */
    public static final Norms POST_NORM = new Norms(false, false, false);
  }

  /**
   * The special token ids.
   *
   * @param padTokenId pad id (also the usual decoder start)
   * @param eosTokenId {@code </s>} id
   * @param decoderStartTokenId first decoder input id
   */
  public record SpecialTokens(int padTokenId, int eosTokenId, int decoderStartTokenId) {}

  /** LayerNorm epsilon of HF MarianMT (torch's default; C++ Marian uses 1e-6). */
  public static final float LAYER_NORM_EPS = 1e-5f;

  public MarianConfig {
    if (vocabulary == null || encoder == null || decoder == null || norms == null || tokens == null) {
      throw new IllegalArgumentException("vocabulary, stacks, norms and tokens must not be null");
    }
    if (activation == null) {
      throw new IllegalArgumentException("activation must not be null");
    }
    int vocabSize = vocabulary.vocabSize();
    int decoderVocabSize = vocabulary.decoderVocabSize();
    int maxPositionEmbeddings = vocabulary.maxPositionEmbeddings();
    boolean shareEncoderDecoderEmbeddings = vocabulary.shareEncoderDecoderEmbeddings();
    positive("vocab_size", vocabSize);
    positive("decoder_vocab_size", decoderVocabSize);
    positive("d_model", dModel);
    positive("encoder_layers", encoder.layers());
    positive("decoder_layers", decoder.layers());
    positive("encoder_attention_heads", encoder.attentionHeads());
    positive("decoder_attention_heads", decoder.attentionHeads());
    positive("encoder_ffn_dim", encoder.ffnDim());
    positive("decoder_ffn_dim", decoder.ffnDim());
    positive("max_position_embeddings", maxPositionEmbeddings);
    // Upper limits, so that a bad config is a one-line error at load and not an OutOfMemoryError or
    // an int overflow later: every table is one Java array (at most 2^31 - 1 elements).
    atMost("vocab_size", vocabSize, MAX_VOCAB);
    atMost("decoder_vocab_size", decoderVocabSize, MAX_VOCAB);
    atMost("d_model", dModel, MAX_WIDTH);
    atMost("encoder_ffn_dim", encoder.ffnDim(), MAX_WIDTH);
    atMost("decoder_ffn_dim", decoder.ffnDim(), MAX_WIDTH);
    atMost("encoder_layers", encoder.layers(), MAX_LAYERS);
    atMost("decoder_layers", decoder.layers(), MAX_LAYERS);
    atMost("max_position_embeddings", maxPositionEmbeddings, MAX_POSITIONS);
    fitsOneArray("vocab_size × d_model", (long) vocabSize * dModel);
    fitsOneArray("decoder_vocab_size × d_model", (long) decoderVocabSize * dModel);
    fitsOneArray("d_model × encoder_ffn_dim", (long) dModel * encoder.ffnDim());
    fitsOneArray("d_model × decoder_ffn_dim", (long) dModel * decoder.ffnDim());
    fitsOneArray("max_position_embeddings × d_model", (long) maxPositionEmbeddings * dModel);
    if (dModel % 2 != 0) {
      throw new IllegalArgumentException("d_model " + dModel + " is odd; the sinusoid table needs an even width");
    }
    if (dModel % encoder.attentionHeads() != 0) {
      throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of encoder_attention_heads " + encoder.attentionHeads());
    }
    if (dModel % decoder.attentionHeads() != 0) {
      throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of decoder_attention_heads " + decoder.attentionHeads());
    }
    int target = shareEncoderDecoderEmbeddings ? vocabSize : decoderVocabSize;
    if (shareEncoderDecoderEmbeddings && decoderVocabSize != vocabSize) {
      throw new IllegalArgumentException("decoder_vocab_size " + decoderVocabSize + " differs from vocab_size " + vocabSize + " but share_encoder_decoder_embeddings is true");
    }
    inRange("pad_token_id", tokens.padTokenId(), vocabSize);
    inRange("eos_token_id", tokens.eosTokenId(), target);
    inRange("decoder_start_token_id", tokens.decoderStartTokenId(), target);
  }

  /** A builder starting from HF's {@code MarianConfig} defaults (see the class comment). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.vocabSize = vocabulary.vocabSize();
    b.decoderVocabSize = vocabulary.decoderVocabSize();
    b.share = vocabulary.shareEncoderDecoderEmbeddings();
    b.tie = vocabulary.tieWordEmbeddings();
    b.scaleEmbedding = vocabulary.scaleEmbedding();
    b.maxPositions = vocabulary.maxPositionEmbeddings();
    b.dModel = dModel;
    b.encoder = encoder;
    b.decoder = decoder;
    b.activation = activation;
    b.norms = norms;
    b.tokens = tokens;
    return b;
  }

  /**
   * Builds a {@link MarianConfig}; every setter names its config.json key. {@link #vocab(int)} sizes both
   * vocabularies unless {@link #decoderVocab(int)} is given (with {@code shareEmbeddings(false)}).
   */
  public static final class Builder {
    private int vocabSize = 58101;
    private Integer decoderVocabSize;
    private boolean share = true;
    private boolean tie = true;
    private boolean scaleEmbedding;
    private int maxPositions = 1024;
    private int dModel = 1024;
    private Stack encoder = new Stack(12, 16, 4096);
    private Stack decoder = new Stack(12, 16, 4096);
    private Activation activation = Activation.GELU;
    private Norms norms = Norms.POST_NORM;
    private SpecialTokens tokens = new SpecialTokens(58100, 0, 58100);

    private Builder() {}

    /** vocab_size, and decoder_vocab_size unless set separately. */
    public Builder vocab(int vocabSize) {
      this.vocabSize = vocabSize;
      return this;
    }

    /** decoder_vocab_size (must equal vocab_size while share_encoder_decoder_embeddings is true). */
    public Builder decoderVocab(int decoderVocabSize) {
      this.decoderVocabSize = decoderVocabSize;
      return this;
    }

    /** share_encoder_decoder_embeddings. */
    public Builder shareEmbeddings(boolean share) {
      this.share = share;
      return this;
    }

    /** tie_word_embeddings. */
    public Builder tieWordEmbeddings(boolean tie) {
      this.tie = tie;
      return this;
    }

    /** scale_embedding. */
    public Builder scaleEmbedding(boolean scale) {
      this.scaleEmbedding = scale;
      return this;
    }

    /** max_position_embeddings. */
    public Builder maxPositions(int maxPositions) {
      this.maxPositions = maxPositions;
      return this;
    }

    /** d_model. */
    public Builder dModel(int dModel) {
      this.dModel = dModel;
      return this;
    }

    /** encoder_layers, encoder_attention_heads, encoder_ffn_dim. */
    public Builder encoder(int layers, int heads, int ffnDim) {
      this.encoder = new Stack(layers, heads, ffnDim);
      return this;
    }

    /** decoder_layers, decoder_attention_heads, decoder_ffn_dim. */
    public Builder decoder(int layers, int heads, int ffnDim) {
      this.decoder = new Stack(layers, heads, ffnDim);
      return this;
    }

    /** activation_function. */
    public Builder activation(Activation activation) {
      this.activation = activation;
      return this;
    }

    /** normalize_before, normalize_embedding, add_final_layer_norm. */
    public Builder norms(Norms norms) {
      this.norms = norms;
      return this;
    }

    /** pad_token_id, eos_token_id, decoder_start_token_id. */
    public Builder tokens(int pad, int eos, int decoderStart) {
      this.tokens = new SpecialTokens(pad, eos, decoderStart);
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException naming the config.json key of an invalid value
     */
    public MarianConfig build() {
      int decoderVocab = decoderVocabSize == null ? vocabSize : decoderVocabSize;
      return new MarianConfig(
          new Vocabulary(vocabSize, decoderVocab, share, tie, scaleEmbedding, maxPositions),
          dModel, encoder, decoder, activation, norms, tokens);
    }
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

  /** vocab_size: rows of the shared (or encoder) embedding, pad row included. */
  public int vocabSize() {
    return vocabulary.vocabSize();
  }

  /** decoder_vocab_size (equal to vocab_size when the embeddings are shared). */
  public int decoderVocabSize() {
    return vocabulary.decoderVocabSize();
  }

  public boolean shareEncoderDecoderEmbeddings() {
    return vocabulary.shareEncoderDecoderEmbeddings();
  }

  public boolean tieWordEmbeddings() {
    return vocabulary.tieWordEmbeddings();
  }

  public boolean scaleEmbedding() {
    return vocabulary.scaleEmbedding();
  }

  public int maxPositionEmbeddings() {
    return vocabulary.maxPositionEmbeddings();
  }

  public int encoderLayers() {
    return encoder.layers();
  }

  public int decoderLayers() {
    return decoder.layers();
  }

  public int encoderAttentionHeads() {
    return encoder.attentionHeads();
  }

  public int decoderAttentionHeads() {
    return decoder.attentionHeads();
  }

  public int encoderFfnDim() {
    return encoder.ffnDim();
  }

  public int decoderFfnDim() {
    return decoder.ffnDim();
  }

  public int padTokenId() {
    return tokens.padTokenId();
  }

  public int eosTokenId() {
    return tokens.eosTokenId();
  }

  public int decoderStartTokenId() {
    return tokens.decoderStartTokenId();
  }

  /** Rows of the encoder embedding. */
  public int sourceVocabSize() {
    return vocabulary.vocabSize();
  }

  /** Rows of the decoder embedding, lm_head and final_logits_bias (the logits width). */
  public int targetVocabSize() {
    return shareEncoderDecoderEmbeddings() ? vocabSize() : decoderVocabSize();
  }

  public int encoderHeadDim() {
    return dModel / encoder.attentionHeads();
  }

  public int decoderHeadDim() {
    return dModel / decoder.attentionHeads();
  }

  /** sqrt(d) computed in double and rounded to float when scale_embedding, else 1 (as HF does). */
  public float embeddingScale() {
    return scaleEmbedding() ? (float) Math.sqrt(dModel) : 1.0f;
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
    // The BART-family LayerNorm variants (transformers 3.x BartConfig keys, still written into MarianMT
    // configs): each is one flag of the layers and stacks, with its own tensors (MarianNames).
    Norms norms =
        new Norms(f.bool("normalize_before", false), f.bool("normalize_embedding", false), f.bool("add_final_layer_norm", false));
    // learned position embeddings (BART, mBART) are another architecture: only sinusoids are implemented
    if (!f.bool("static_position_embeddings", true)) {
      throw f.error("static_position_embeddings false (learned position embeddings) is not supported: jnmt implements the"
          + " sinusoidal positions of MarianMT");
    }
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
      return MarianConfig.builder()
          .vocab(vocab)
          .decoderVocab(decoderVocab)
          .shareEmbeddings(share)
          .tieWordEmbeddings(f.bool("tie_word_embeddings", true))
          .dModel(f.integer("d_model", 1024))
          .encoder(f.integer("encoder_layers", 12), f.integer("encoder_attention_heads", 16), f.integer("encoder_ffn_dim", 4096))
          .decoder(f.integer("decoder_layers", 12), f.integer("decoder_attention_heads", 16), f.integer("decoder_ffn_dim", 4096))
          .activation(activation)
          .scaleEmbedding(f.bool("scale_embedding", false))
          .maxPositions(f.integer("max_position_embeddings", 1024))
          .tokens(f.integer("pad_token_id", 58100), f.integer("eos_token_id", 0), f.integer("decoder_start_token_id", 58100))
          .norms(norms)
          .build();
    } catch (IllegalArgumentException e) {
      throw f.error(e.getMessage());
    }
  }

  /**
   * This config as a config.json object (model_type "marian", every field above, plus the legacy keys
   * HF writes), suitable for {@link #fromJson}.
   */
  public Json toJson() {
    Json o = Json.object();
    o.put("model_type", "marian");
    o.put("architectures", Json.array().add("MarianMTModel"));
    o.put("vocab_size", vocabSize());
    o.put("decoder_vocab_size", decoderVocabSize());
    o.put("share_encoder_decoder_embeddings", shareEncoderDecoderEmbeddings());
    o.put("tie_word_embeddings", tieWordEmbeddings());
    o.put("d_model", dModel);
    o.put("encoder_layers", encoderLayers());
    o.put("decoder_layers", decoderLayers());
    o.put("encoder_attention_heads", encoderAttentionHeads());
    o.put("decoder_attention_heads", decoderAttentionHeads());
    o.put("encoder_ffn_dim", encoderFfnDim());
    o.put("decoder_ffn_dim", decoderFfnDim());
    o.put("activation_function", activation.hfName());
    o.put("scale_embedding", scaleEmbedding());
    o.put("max_position_embeddings", maxPositionEmbeddings());
    o.put("pad_token_id", padTokenId());
    o.put("eos_token_id", eosTokenId());
    o.put("decoder_start_token_id", decoderStartTokenId());
    o.put("normalize_before", norms.normalizeBefore());
    o.put("normalize_embedding", norms.normalizeEmbedding());
    o.put("add_final_layer_norm", norms.finalLayerNorm());
    o.put("static_position_embeddings", true);
    o.put("is_encoder_decoder", true);
    return o;
  }
}
