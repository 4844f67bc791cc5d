package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.config.Activation;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.io.MarianCheckpointWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InfoCommandTest {

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void nanWeightsAndGarbageTokenizerFilesAreRefusedAsTranslateRefusesThem() throws IOException {
    MarianConfig c = MarianConfig.builder().vocab(40).dModel(16).encoder(2, 4, 32).decoder(1, 2, 24).activation(Activation.RELU).scaleEmbedding(true).maxPositions(64).tokens(39, 0, 39).build();
    Map<String, float[]> w = MarianCheckpointWriter.randomWeights(c, 3);
    String fc1 = w.keySet().stream().filter(n -> n.contains("encoder.layers.0.fc1.weight")).findFirst().orElseThrow();
    w.get(fc1)[0] = Float.NaN;
    Path nan = tmp.resolve("nan");
    MarianCheckpointWriter.write(nan, c, w, Map.of("format", "pt"));
    Run r = run("info", nan.toString());
    assertEquals(1, r.code());
    assertEquals("", r.out(), "nothing printed before the validation");
    assertTrue(r.err().contains(fc1.replaceFirst("^model\\.", "") + "' holds NaN at element 0"), r.err());
    Path spm = tmp.resolve("spm");
    MarianCheckpointWriter.write(spm, c, MarianCheckpointWriter.randomWeights(c, 3), Map.of("format", "pt"));
    Files.writeString(spm.resolve("source.spm"), "not a sentencepiece model");
    Run g = run("info", spm.toString());
    assertEquals(1, g.code(), g.out());
    assertEquals("", g.out());
    assertEquals(1, g.err().lines().count(), g.err());
  }

  @Test
  void describesARandomModel() throws IOException {
    MarianConfig c = MarianConfig.builder().vocab(40).dModel(16).encoder(2, 4, 32).decoder(1, 2, 24).activation(Activation.RELU).scaleEmbedding(true).maxPositions(64).tokens(39, 0, 39).build();
    MarianCheckpointWriter.write(tmp, c, MarianCheckpointWriter.randomWeights(c, 3), Map.of("format", "pt"));
    Files.writeString(tmp.resolve("generation_config.json"), "{\"num_beams\": 4, \"max_length\": 128, \"bad_words_ids\": [[39]]}");
    Run r = run("info", tmp.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    // 1 embedding + 2×16 encoder + 26 decoder + final_logits_bias
    long params = 40 * 16 + 2 * (4 * (16 * 16 + 16) + 4 * 16 + 32 * 16 + 32 + 16 * 32 + 16)
        + (8 * (16 * 16 + 16) + 6 * 16 + 24 * 16 + 24 + 16 * 24 + 16) + 40;
    String expectedStart = String.join("\n",
        "model: " + tmp,
        "format: Hugging Face MarianMT, safetensors (1 file)",
        "metadata: format=pt",
        "precision: float32",
        "tensors: 60 stored",
        String.format("parameters: %,d", params),
        String.format("bytes: %,d tensor data, %,d on disk", params * 4, Files.size(tmp.resolve("model.safetensors"))),
        "architecture: transformer 2+1 layers, d_model 16, heads 4/2, FFN 32/24, relu, post-norm",
        "embeddings: shared, vocabulary 40, output tied, scaled by sqrt(d_model)",
        "positions: sinusoidal, max 64",
        "special ids: eos 0, pad 39, decoder start 39",
        "generation: num_beams 4, max_length 128, length_penalty 1.0, early_stopping false, renormalize_logits false, bad_words_ids [[39]], forced_eos none (generation_config.json)",
        "tokenizer: source.spm (missing), target.spm (missing), vocab.json (missing), clean_up_tokenization_spaces true",
        "");
    assertEquals(expectedStart, r.out().replace(System.lineSeparator(), "\n"));
    Run t = run("info", "--tensors", tmp.toString());
    assertTrue(t.out().contains("tensor: model.shared.weight F32 [40, 16]\n"), t.out());
  }

  @Test
  void namesTheLayerNormVariant() throws IOException {
    MarianConfig c = MarianConfig.builder().vocab(40).dModel(16).encoder(1, 4, 32).decoder(1, 2, 24).activation(Activation.RELU)
        .maxPositions(64).tokens(39, 0, 39).norms(new MarianConfig.Norms(true, true, true)).build();
    MarianCheckpointWriter.write(tmp, c, MarianCheckpointWriter.randomWeights(c, 3), Map.of("format", "pt"));
    Run r = run("info", tmp.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("architecture: transformer 1+1 layers, d_model 16, heads 4/2, FFN 32/24, relu, pre-norm,"
        + " embedding LayerNorm, final LayerNorm\n"), r.out());
  }

  @Test
  void brokenModelIsOneLineOnStderrWithExitCode1() throws IOException {
    Run r = run("info", tmp.resolve("absent").toString());
    assertEquals(1, r.code());
    assertEquals("", r.out());
    assertEquals("jnmt info: " + tmp.resolve("absent") + ": not a model directory (no such directory)\n", r.err().replace(System.lineSeparator(), "\n"));
    Files.writeString(tmp.resolve("config.json"), "{\"d_model\": 510}");
    r = run("info", tmp.toString());
    assertEquals(1, r.code());
    assertEquals("jnmt info: " + tmp.resolve("config.json") + ": d_model 510 is not a multiple of encoder_attention_heads 16\n", r.err().replace(System.lineSeparator(), "\n"));
    assertEquals(2, run("info").code());
  }
}
