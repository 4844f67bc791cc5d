package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TranslateLineReaderTest {

  @Test
  void splitsOnNewlineOnlyAndCountsConsumedBytes() throws IOException {
    byte[] in = "ab\r\n\nc\rd\u2028e\nlast".getBytes(StandardCharsets.UTF_8);
    try (TranslateLineReader r = new TranslateLineReader(new ByteArrayInputStream(in))) {
      assertTrue(r.ready());
      assertEquals("ab", r.readLine());
      assertEquals(4, r.bytesConsumed());
      assertEquals("", r.readLine());
      assertEquals("c\rd\u2028e", r.readLine());
      assertEquals("last", r.readLine());
      assertEquals(in.length, r.bytesConsumed());
      assertNull(r.readLine());
      assertFalse(r.ready());
    }
  }

  @Test
  void longLinesAndInvalidUtf8() throws IOException {
    String longLine = "x".repeat(200_000);
    byte[] head = (longLine + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xe2, (byte) 0x82, 'A', (byte) 0xff, '\n'};
    byte[] all = new byte[head.length + bad.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bad, 0, all, head.length, bad.length);
    try (TranslateLineReader r = new TranslateLineReader(new ByteArrayInputStream(all))) {
      assertEquals(longLine, r.readLine());
      assertEquals("\uFFFDA\uFFFD", r.readLine());
      assertNull(r.readLine());
    }
  }
}
