package dev.jnmt.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a UTF-8 byte stream for {@code jnmt translate}: split on '\n' only (a stray '\r' or U+2028
 * inside a line does not start a new line, so the output has exactly as many lines), one trailing
 * '\r' removed (CRLF files), a last line without '\n' still counted, invalid UTF-8 replaced by U+FFFD.
 * Counts the bytes consumed for the progress bar.
 */
final class TranslateLineReader implements AutoCloseable {

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private long bytesRead;
  private boolean eof;

  TranslateLineReader(InputStream in) {
    this.in = in;
  }

  /** The next line without its terminator, or null at the end of the input. */
  String readLine() throws IOException {
    if (eof && pos >= limit) {
      return null;
    }
    int len = 0;
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
      if (len + chunk > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, len + chunk));
      }
      System.arraycopy(buf, start, line, len, chunk);
      len += chunk;
      if (pos < limit) {
        pos++;
        return decode(len);
      }
    }
  }

  private String decode(int len) {
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
