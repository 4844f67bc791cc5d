package dev.jnmt.decoder.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.config.Activation;
import dev.jnmt.decoder.config.MarianConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarianCheckpointTest {

  @TempDir Path dir;

  static MarianConfig tiny(boolean share, boolean tie) {
    return new MarianConfig(
        13, share ? 13 : 11, share, tie, 8, 2, 1, 2, 4, 16, 12, Activation.SWISH, true, 32, 12, 0, 12 - (share ? 0 : 2));
  }

  @Test
  void randomModelRoundTrips() {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = MarianCheckpointWriter.randomWeights(c, 7);
    MarianCheckpointWriter.write(dir, c, w, Map.of("format", "pt"));
    try (MarianCheckpoint ck = MarianCheckpoint.open(dir)) {
      assertEquals(c, ck.config());
      assertArrayEquals(w.get("shared.weight"), ck.floats("decoder.embed_tokens.weight", 13, 8));
      assertArrayEquals(w.get("shared.weight"), ck.floats("lm_head.weight", 13, 8));
      assertArrayEquals(
          w.get("decoder.layers.0.encoder_attn.k_proj.weight"),
          ck.floats("decoder.layers.0.encoder_attn.k_proj.weight", 8, 8));
      assertEquals("model.shared.weight", ck.info("encoder.embed_tokens.weight").name());
      assertFalse(ck.contains("encoder.embed_positions.weight"));
      assertEquals("pt", ck.metadata().get("format"));
    }
  }
}
