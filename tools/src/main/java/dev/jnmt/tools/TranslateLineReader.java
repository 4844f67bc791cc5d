package dev.jnmt.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a UTF-8 byte stream for {@code jnmt translate}: split on '\n' only (a stray '\r' or U+2028
 * inside a line does not start a new line, so the output has exactly as many lines), one trailing
 * '\r' removed (CRLF files), a last line without '\n' still counted, invalid UTF-8 replaced by U+FFFD.
 * Counts the bytes consumed for the progress bar. A line longer than {@code maxLineBytes} keeps only
 * its first bytes (cut at a character boundary): memory stays bounded whatever the line length, and
 * {@link #lastLineBytes()} says how long it was.
 */
final class TranslateLineReader implements AutoCloseable {

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private long bytesRead;
  private boolean eof;
  private final int maxLineBytes;
  private long lineBytes;

  TranslateLineReader(InputStream in) {
    this(in, Integer.MAX_VALUE - 16);
  }

  TranslateLineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The full length in bytes of the line last returned (terminator excluded), cut or not. */
  long lastLineBytes() {
    return lineBytes;
  }

  /** Whether the line last returned was cut to maxLineBytes. */
  boolean lastLineCut() {
    return lineBytes > maxLineBytes;
  }

  /** The next line without its terminator, or null at the end of the input. */
  String readLine() throws IOException {
    if (eof && pos >= limit) {
      return null;
    }
    int len = 0;
    lineBytes = 0;
    while (true) {
      if (pos >= limit) {
        int n = in.read(buf);
        if (n < 0) {
          eof = true;
          limit = 0;
          pos = 0;
          if (len == 0) {
            return null;
          }
          return decode(len);
        }
        pos = 0;
        limit = n;
        bytesRead += n;
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      int chunk = pos - start;
      lineBytes += chunk;
      int keep = Math.min(chunk, maxLineBytes - len);
      if (keep > 0) {
        if (len + keep > line.length) {
          line = Arrays.copyOf(line, (int) Math.min(Math.max((long) line.length * 2, len + keep), maxLineBytes));
        }
        System.arraycopy(buf, start, line, len, keep);
        len += keep;
      }
      if (pos < limit) {
        pos++;
        return decode(len);
      }
    }
  }

  private String decode(int len) {
    if (lineBytes > maxLineBytes) {
      // cut at a character boundary: drop a trailing partial UTF-8 sequence
      int end = len;
      while (end > 0 && (line[end - 1] & 0xC0) == 0x80 && len - end < 3) {
        end--;
      }
      if (end > 0 && (line[end - 1] & 0x80) != 0) {
        int lead = line[end - 1] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (len - (end - 1) < need) {
          len = end - 1;
        }
      }
      return new String(line, 0, len, StandardCharsets.UTF_8);
    }
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    return new String(line, 0, len, StandardCharsets.UTF_8);
  }

  /**
   * Whether a line can start without blocking (buffered bytes, or bytes the stream says are
   * available): lets interactive input be translated line by line while files fill whole blocks.
   */
  boolean ready() throws IOException {
    return pos < limit || (!eof && in.available() > 0);
  }

  /** Bytes of the lines returned so far (read ahead but unreturned bytes not counted). */
  long bytesConsumed() {
    return bytesRead - (limit - pos);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
