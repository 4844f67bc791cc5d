package dev.jnmt.decoder.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentencePieceNativeTest {

  @Test
  void cacheDirectoryFollowsDjlConventions() {
    String engine = System.getProperty("ENGINE_CACHE_DIR");
    String djl = System.getProperty("DJL_CACHE_DIR");
    try {
      System.clearProperty("ENGINE_CACHE_DIR");
      System.setProperty("DJL_CACHE_DIR", "/some/djl");
      if (System.getenv("ENGINE_CACHE_DIR") == null) {
        assertEquals(Path.of("/some/djl"), SentencePieceNative.cacheDir());
      }
      System.setProperty("ENGINE_CACHE_DIR", "/some/engine");
      assertEquals(Path.of("/some/engine"), SentencePieceNative.cacheDir());
    } finally {
      restore("ENGINE_CACHE_DIR", engine);
      restore("DJL_CACHE_DIR", djl);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void loadsTheBundledLibraryForThisPlatform() throws URISyntaxException {
    assertTrue(SentencePieceNative.classifier().matches("(linux|osx|win)-(x86_64|aarch64)"), SentencePieceNative.classifier());
    Path spm = Path.of(getClass().getResource("/tiny-spm/target.spm").toURI());
    SentencePieceModel m = SentencePieceModel.load(spm);
    assertEquals("Ein Hund", m.decodePieces(List.of(m.pieces("Ein Hund"))));
    m.close();
    m.close();
    assertThrows(IllegalStateException.class, () -> m.pieces("x"));
    assertTrue(Files.isRegularFile(spm));
  }
}
