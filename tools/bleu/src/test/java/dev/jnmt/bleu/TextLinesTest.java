package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {

  @TempDir Path tmp;

  private List<String> file(byte[] bytes) throws IOException {
    Path p = tmp.resolve("f.txt");
    Files.write(p, bytes);
    return TextLines.readFile(p, StandardCharsets.UTF_8);
  }

  @Test
  void filesEndLinesAtLfOnly() throws IOException {
    byte[] b = "a\rb\u2028c\u0085d\fe\r\nf\n\ng".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("a\rb\u2028c\u0085d\fe\r", "f", "", "g"), file(b));
    assertEquals(List.of("x"), file("x\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("x", ""), file("x\n\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of(), file(new byte[0]));
    assertEquals(List.of(""), file("\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void bomIsKept() throws IOException {
    assertEquals(List.of("\ufeffa"), file(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a'}));
  }

  @Test
  void standardInputUsesUniversalNewlines() throws IOException {
    byte[] b = "a\rb\r\nc\nd\u2028e\r".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        List.of("a", "b", "c", "d\u2028e"),
        TextLines.readUniversal(new ByteArrayInputStream(b), StandardCharsets.UTF_8, "stdin"));
  }

  @Test
  void malformedInputNamesFileLineAndOffset() throws IOException {
    Path p = tmp.resolve("bad.txt");
    Files.write(p, new byte[] {'o', 'k', '\n', 'x', (byte) 0xFF, '\n'});
    IOException e =
        assertThrows(IOException.class, () -> TextLines.readFile(p, StandardCharsets.UTF_8));
    assertEquals(p + ": line 2: cannot decode byte 0xff at offset 4 as UTF-8", e.getMessage());
    // an encoded surrogate is malformed in Python's strict UTF-8 too
    Files.write(p, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    assertThrows(IOException.class, () -> TextLines.readFile(p, StandardCharsets.UTF_8));
  }

  @Test
  void otherEncodings() throws IOException {
    Path p = tmp.resolve("l1.txt");
    Files.write(p, new byte[] {(byte) 0xE9, '\n'});
    assertEquals(List.of("é"), TextLines.readFile(p, StandardCharsets.ISO_8859_1));
    assertTrue(TextLines.splitUniversal("").isEmpty());
  }
}
