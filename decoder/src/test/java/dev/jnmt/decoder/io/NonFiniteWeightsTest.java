package dev.jnmt.decoder.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.config.Activation;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.model.MarianModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN or ±∞ in a float32 weight is refused at load, naming the file, the tensor and the element. */
class NonFiniteWeightsTest {

  @TempDir Path tmp;

  static final MarianConfig C = MarianConfig.builder().vocab(40).dModel(16).encoder(2, 4, 32).decoder(1, 2, 24).activation(Activation.RELU).scaleEmbedding(true).maxPositions(64).tokens(39, 0, 39).build();

  @Test
  void nanAndInfinityAreRefusedNamingTheTensor() {
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int k = 0; k < specials.length; k++) {
      Path dir = tmp.resolve("m" + k);
      Map<String, float[]> w = MarianCheckpointWriter.randomWeights(C, 5);
      String name = w.keySet().stream().filter(n -> n.contains("encoder.layers.0.fc1.weight")).findFirst().orElseThrow();
      w.get(name)[37] = specials[k];
      MarianCheckpointWriter.write(dir, C, w, Map.of("format", "pt"));
      try (ModelSource source = ModelSource.directory(dir)) {
        CheckpointException e = assertThrows(CheckpointException.class,
            () -> MarianModel.load(source.config(), source.tensors(), GemmPrecision.FLOAT32));
        assertEquals(dir.resolve("model.safetensors") + ": tensor 'model." + name.replaceFirst("^model\\.", "") + "' holds "
            + specials[k] + " at element 37 (NaN or infinite weights make every translation meaningless)", e.getMessage());
      }
    }
  }
}
