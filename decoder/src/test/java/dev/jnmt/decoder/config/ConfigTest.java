package dev.jnmt.decoder.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.base.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @TempDir Path tmp;

  /** config.json of Helsinki-NLP/opus-mt-en-de as published on the HF hub (labels trimmed). */
  static final String OPUS_EN_DE = """
      {
        "_name_or_path": "/tmp/Helsinki-NLP/opus-mt-en-de",
        "activation_dropout": 0.0, "activation_function": "swish", "add_bias_logits": false,
        "add_final_layer_norm": false, "architectures": ["MarianMTModel"], "attention_dropout": 0.0,
        "bad_words_ids": [[58100]], "bos_token_id": 0, "classif_dropout": 0.0, "classifier_dropout": 0.0,
        "d_model": 512, "decoder_attention_heads": 8, "decoder_ffn_dim": 2048, "decoder_layerdrop": 0.0,
        "decoder_layers": 6, "decoder_start_token_id": 58100, "decoder_vocab_size": 58101, "dropout": 0.1,
        "encoder_attention_heads": 8, "encoder_ffn_dim": 2048, "encoder_layerdrop": 0.0, "encoder_layers": 6,
        "eos_token_id": 0, "forced_eos_token_id": 0, "gradient_checkpointing": false,
        "id2label": {"0": "LABEL_0"}, "init_std": 0.02, "is_encoder_decoder": true, "label2id": {"LABEL_0": 0},
        "max_length": 512, "max_position_embeddings": 512, "model_type": "marian", "normalize_before": false,
        "normalize_embedding": false, "num_beams": 4, "num_hidden_layers": 6, "pad_token_id": 58100,
        "scale_embedding": true, "share_encoder_decoder_embeddings": true, "static_position_embeddings": true,
        "transformers_version": "4.22.0.dev0", "use_cache": true, "vocab_size": 58101
      }
      """;

  Path file(String name, String json) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, json);
    return p;
  }

  String configError(String json) throws IOException {
    Path p = file("config.json", json);
    CheckpointException e = assertThrows(CheckpointException.class, () -> MarianConfig.read(p));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
    return e.getMessage().substring(p.toString().length() + 2);
  }

  @Test
  void opusMtEnDe() throws IOException {
    MarianConfig c = MarianConfig.read(file("config.json", OPUS_EN_DE));
    assertEquals(MarianConfig.builder().vocab(58101).dModel(512).encoder(6, 8, 2048).decoder(6, 8, 2048).activation(Activation.SWISH).scaleEmbedding(true).maxPositions(512).tokens(58100, 0, 58100).build(), c);
    assertEquals(64, c.encoderHeadDim());
    assertEquals((float) Math.sqrt(512), c.embeddingScale());
    assertEquals(58101, c.targetVocabSize());
    GenerationConfig g = GenerationConfig.read(tmp, c);
    assertEquals(4, g.numBeams());
    assertEquals(512, g.maxLength());
    assertEquals(1.0, g.lengthPenalty());
    assertEquals(GenerationConfig.EarlyStopping.FALSE, g.earlyStopping());
    assertEquals(List.of(List.of(58100)), g.badWordsIds());
    assertEquals(OptionalInt.of(0), g.forcedEosTokenId());
    assertFalse(g.renormalizeLogits());
    assertEquals(58100, g.decoderStartTokenId());
    assertEquals(0, g.eosTokenId());
    assertEquals(58100, g.padTokenId());
  }

  @Test
  void toJsonRoundTrips() throws IOException {
    MarianConfig c = MarianConfig.builder().vocab(300).decoderVocab(200).shareEmbeddings(false).tieWordEmbeddings(false).dModel(16).encoder(3, 4, 32).decoder(2, 2, 24).activation(Activation.GELU_NEW).maxPositions(64).tokens(299, 0, 199).build();
    assertEquals(c, MarianConfig.fromJson(c.toJson(), tmp.resolve("x")));
  }

  @Test
  void missingKeysTakeTheClassDefaults() throws IOException {
    MarianConfig c = MarianConfig.read(file("config.json", "{\"model_type\": \"marian\"}"));
    assertEquals(MarianConfig.builder().vocab(58101).dModel(1024).encoder(12, 16, 4096).decoder(12, 16, 4096).activation(Activation.GELU).maxPositions(1024).tokens(58100, 0, 58100).build(), c);
    assertEquals(MarianConfig.builder().build(), c, "the builder starts from the same defaults");
    assertEquals(c, c.toBuilder().build());
    assertEquals(MarianConfig.Norms.POST_NORM, c.norms());
    assertEquals(1f, c.embeddingScale());
    GenerationConfig g = GenerationConfig.read(tmp, c);
    assertEquals(1, g.numBeams());
    assertEquals(20, g.maxLength());
    assertEquals(OptionalInt.of(0), g.forcedEosTokenId());
    assertEquals(List.of(), g.badWordsIds());
  }

  @Test
  void activations() throws IOException {
    for (String[] a : new String[][] {{"swish", "SWISH"}, {"silu", "SWISH"}, {"relu", "RELU"}, {"gelu", "GELU"}, {"gelu_new", "GELU_NEW"}}) {
      MarianConfig c = MarianConfig.read(file("config.json", "{\"activation_function\": \"" + a[0] + "\"}"));
      assertEquals(Activation.valueOf(a[1]), c.activation());
    }
    assertEquals("activation_function \"tanh\" is not supported (supported: swish, silu, relu, gelu, gelu_new, gelu_pytorch_tanh)",
        configError("{\"activation_function\": \"tanh\"}"));
  }

  @Test
  void layerNormVariantsAreFlagsAndOtherVariantsAreRefused() throws IOException {
    // the BART-family LayerNorm variants are one flag each
    assertEquals(new MarianConfig.Norms(true, false, false),
        MarianConfig.read(file("config.json", OPUS_EN_DE.replace("\"normalize_before\": false", "\"normalize_before\": true"))).norms());
    assertEquals(new MarianConfig.Norms(false, true, false),
        MarianConfig.read(file("config.json", OPUS_EN_DE.replace("\"normalize_embedding\": false", "\"normalize_embedding\": true"))).norms());
    assertEquals(new MarianConfig.Norms(false, false, true),
        MarianConfig.read(file("config.json", OPUS_EN_DE.replace("\"add_final_layer_norm\": false", "\"add_final_layer_norm\": true"))).norms());
    assertEquals("static_position_embeddings false (learned position embeddings) is not supported: jnmt implements the sinusoidal positions of MarianMT",
        configError(OPUS_EN_DE.replace("\"static_position_embeddings\": true", "\"static_position_embeddings\": false")));
    assertEquals("model_type \"bart\" is not supported (jnmt loads Hugging Face MarianMT checkpoints, model_type \"marian\")",
        configError("{\"model_type\": \"bart\"}"));
  }

  @Test
  void invalidValues() throws IOException {
    assertEquals("d_model must be an integer, got \"512\"", configError("{\"d_model\": \"512\"}"));
    assertEquals("d_model 510 is not a multiple of encoder_attention_heads 16", configError("{\"d_model\": 510}"));
    assertEquals("d_model 511 is odd; the sinusoid table needs an even width", configError("{\"d_model\": 511}"));
    assertEquals("encoder_layers must be positive, got 0", configError("{\"encoder_layers\": 0}"));
    assertEquals("pad_token_id 58100 is outside the vocabulary [0, 100)", configError("{\"vocab_size\": 100, \"decoder_start_token_id\": 0}"));
    assertEquals("scale_embedding must be true or false, got 1", configError("{\"scale_embedding\": 1}"));
    assertEquals("normalize_before must be true or false, got \"no\"", configError("{\"normalize_before\": \"no\"}"));
    assertTrue(configError("{\"d_model\": 512,}").startsWith("bad JSON at line 1, column "));
    assertEquals("bad JSON: the top level is not an object", configError("[]"));
    assertTrue(configError("{\"d_model\": 512, \"d_model\": 256}").contains("Duplicate field 'd_model'"));
  }

  @Test
  void separateVocabularySizes() throws IOException {
    MarianConfig c = MarianConfig.read(file("config.json",
        "{\"vocab_size\": 500, \"decoder_vocab_size\": 300, \"share_encoder_decoder_embeddings\": false, \"pad_token_id\": 299, \"decoder_start_token_id\": 299}"));
    assertEquals(500, c.sourceVocabSize());
    assertEquals(300, c.targetVocabSize());
    // with shared embeddings HF ignores decoder_vocab_size
    MarianConfig s = MarianConfig.read(file("config.json", "{\"vocab_size\": 500, \"decoder_vocab_size\": 300, \"pad_token_id\": 499, \"decoder_start_token_id\": 499}"));
    assertEquals(500, s.targetVocabSize());
    assertEquals("decoder_start_token_id 400 is outside the vocabulary [0, 300)",
        configError("{\"vocab_size\": 500, \"decoder_vocab_size\": 300, \"share_encoder_decoder_embeddings\": false, \"pad_token_id\": 299, \"decoder_start_token_id\": 400}"));
  }

  @Test
  void generationConfigJsonWinsOverConfigJson() throws IOException {
    MarianConfig c = MarianConfig.read(file("config.json", OPUS_EN_DE));
    file("generation_config.json", """
        {"bad_words_ids": [[58100]], "bos_token_id": 0, "decoder_start_token_id": 58100, "eos_token_id": [0],
         "forced_eos_token_id": 0, "max_length": 512, "num_beams": 6, "pad_token_id": 58100,
         "renormalize_logits": true, "early_stopping": "never", "length_penalty": 0.6,
         "transformers_version": "4.32.0.dev0"}
        """);
    GenerationConfig g = GenerationConfig.read(tmp, c);
    assertEquals(6, g.numBeams());
    assertTrue(g.renormalizeLogits());
    assertEquals(GenerationConfig.EarlyStopping.NEVER, g.earlyStopping());
    assertEquals(0.6, g.lengthPenalty());
    assertEquals(0, g.eosTokenId());
    file("generation_config.json", "{\"max_length\": 512, \"max_new_tokens\": 100}");
    assertEquals(101, GenerationConfig.read(tmp, c).maxLength(), "max_new_tokens wins and counts the start token");
    file("generation_config.json", "{\"num_beams\": 2}");
    g = GenerationConfig.read(tmp, c);
    assertEquals(2, g.numBeams());
    assertEquals(20, g.maxLength(), "absent keys take GenerationConfig defaults, not config.json's");
    assertEquals(OptionalInt.empty(), g.forcedEosTokenId());
    assertEquals(58100, g.decoderStartTokenId(), "special ids fall back to the model config");
  }

  @Test
  void generationConfigErrors() throws IOException {
    MarianConfig c = MarianConfig.read(file("config.json", OPUS_EN_DE));
    Path g = tmp.resolve("generation_config.json");
    for (String[] bad : new String[][] {
      {"{\"num_beams\": 0}", "num_beams must be at least 1, got 0"},
      {"{\"early_stopping\": \"sometimes\"}", "early_stopping must be true, false or \"never\", got \"sometimes\""},
      {"{\"bad_words_ids\": [58100]}", "bad_words_ids must be a list of non-empty lists of token ids, got [58100]"},
      {"{\"eos_token_id\": [0, 2]}", "eos_token_id must be a single token id (several are not supported), got [0,2]"},
      {"{\"length_penalty\": \"1\"}", "length_penalty must be a number, got \"1\""},
    }) {
      Files.writeString(g, bad[0]);
      CheckpointException e = assertThrows(CheckpointException.class, () -> GenerationConfig.read(tmp, c));
      assertEquals(g + ": " + bad[1], e.getMessage());
    }
  }

  @Test
  void tokenizerConfig() throws IOException {
    assertEquals(TokenizerConfig.defaults(), TokenizerConfig.read(tmp));
    assertTrue(TokenizerConfig.defaults().cleanUpByDefault());
    file("tokenizer_config.json", """
        {"model_max_length": 1000000000000000019884624838656, "separate_vocabs": true, "source_lang": "en",
         "target_lang": "de", "clean_up_tokenization_spaces": false,
         "eos_token": {"content": "</s>", "lstrip": false}, "tokenizer_class": "MarianTokenizer"}
        """);
    file("special_tokens_map.json", "{\"eos_token\": \"<eos>\", \"unk_token\": \"<UNK>\", \"pad_token\": \"<pad>\"}");
    TokenizerConfig t = TokenizerConfig.read(tmp);
    assertEquals(Optional.of("en"), t.sourceLang());
    assertEquals(Optional.of("de"), t.targetLang());
    assertTrue(t.separateVocabs());
    assertEquals(Integer.MAX_VALUE, t.modelMaxLength());
    assertFalse(t.cleanUpByDefault());
    assertEquals("</s>", t.eosToken(), "tokenizer_config.json wins over special_tokens_map.json");
    assertEquals("<UNK>", t.unkToken());
  }
}
