// Over 400 lines: the safetensors format reader with every header check (bounds, JSON, dtypes, tiling) and
// the typed tensor accessors, F16/BF16 conversion included.
package dev.jnmt.decoder.io;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped, fully validated safetensors file.
 *
 * <p>Layout: {@code u64 N} (little-endian) | N bytes of UTF-8 JSON header | data buffer. Each header
 * entry is {@code "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}} with offsets
 * relative to the data buffer; an optional {@code "__metadata__"} maps strings to strings. {@link #open}
 * checks everything up front (header bounds, JSON, dtypes, byte counts, and that the tensors tile the
 * buffer exactly with no gap, overlap or trailing byte), so later reads cannot fail on a malformed file.
 * Every error is a {@link CheckpointException} with a one-line message that starts with the file path
 * and names the tensor.
 *
 * <p>The mapping lives in a shared {@link Arena}: reads are thread-safe, and {@link #close} unmaps the
 * file, after which segments returned by {@link #data} must not be used. Tensors may be unaligned (the
 * format only aligns the buffer start), so all reads use unaligned little-endian layouts.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** The reference implementation's limit on the header size. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  static final String METADATA_KEY = "__metadata__";

  private static final ValueLayout.OfFloat F32_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble F64_LE =
      ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16_LE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I32_LE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong I64_LE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Path path;
  private final Arena arena;
  private final MemorySegment data;
  private final long fileSize;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(
      Path path,
      Arena arena,
      MemorySegment data,
      long fileSize,
      Map<String, TensorInfo> tensors,
      Map<String, String> metadata) {
    this.path = path;
    this.arena = arena;
    this.data = data;
    this.fileSize = fileSize;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /**
   * Maps and validates a safetensors file.
   *
   * @throws CheckpointException naming the file (and tensor) when it cannot be read or is malformed
   */
  public static SafetensorsFile open(Path path) {
    Arena arena = Arena.ofShared();
    try {
      MemorySegment all;
      long size;
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        size = ch.size();
        if (size < 8) {
          throw error(path, "too short for a safetensors file (" + size + " bytes; the 8-byte header length is missing)");
        }
        all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      }
      long n = all.get(I64_LE, 0);
      if (n < 0 || n > MAX_HEADER_BYTES) {
        throw error(path, "header length " + Long.toUnsignedString(n) + " is over the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
      }
      if (n > size - 8) {
        throw error(path, "header length " + n + " runs past the end of the file (" + size + " bytes; truncated file?)");
      }
      if (n < 2 || all.get(ValueLayout.JAVA_BYTE, 8) != '{') {
        throw error(path, "bad header JSON: the header does not start with '{'");
      }
      byte[] header = all.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
      Json root;
      try {
        root = Json.parse(header);
      } catch (Json.ParseException e) {
        throw error(path, "bad header JSON at header byte " + e.byteOffset() + ": " + oneLine(e.reason()));
      }
      if (root == null || !root.isObject()) {
        throw error(path, "bad header JSON: the header is not a JSON object");
      }
      long bufferSize = size - 8 - n;
      Map<String, String> metadata = Map.of();
      List<TensorInfo> list = new ArrayList<>();
      for (Map.Entry<String, Json> e : root.properties()) {
        if (e.getKey().equals(METADATA_KEY)) {
          metadata = parseMetadata(path, e.getValue());
        } else {
          list.add(parseEntry(path, e.getKey(), e.getValue()));
        }
      }
      checkTiling(path, list, bufferSize);
      Map<String, TensorInfo> byName = new LinkedHashMap<>();
      for (TensorInfo t : list) {
        byName.put(t.name(), t);
      }
      MemorySegment buffer = all.asSlice(8 + n, bufferSize);
      return new SafetensorsFile(
          path, arena, buffer, size, Collections.unmodifiableMap(byName), metadata);
    } catch (NoSuchFileException e) {
      arena.close();
      throw error(path, "no such file");
    } catch (IOException e) {
      arena.close();
      throw error(path, "cannot read: " + oneLine(e.toString()));
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  private static Map<String, String> parseMetadata(Path path, Json node) {
    if (node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw error(path, "bad header JSON: __metadata__ is not an object of strings");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, Json> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw error(path, "bad header JSON: __metadata__ value '" + e.getKey() + "' is not a string");
      }
      m.put(e.getKey(), e.getValue().asText());
    }
    return Collections.unmodifiableMap(m);
  }

  private static TensorInfo parseEntry(Path path, String name, Json node) {
    String what = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw error(path, "bad header JSON: " + what + " is not an object");
    }
    Json dt = node.get("dtype");
    if (dt == null || !dt.isTextual()) {
      throw error(path, "bad header JSON: " + what + " has no dtype string");
    }
    DType dtype =
        DType.parse(dt.asText())
            .orElseThrow(() -> error(path, what + " has unknown dtype '" + dt.asText() + "'"));
    long[] shape = longArray(path, what, "shape", node.get("shape"), -1);
    long[] off = longArray(path, what, "data_offsets", node.get("data_offsets"), 2);
    if (off[1] < off[0]) {
      throw error(path, what + " has data_offsets [" + off[0] + ", " + off[1] + "] with end before begin");
    }
    long need;
    try {
      need = dtype.bytesFor(TensorInfo.elementCount(shape));
    } catch (ArithmeticException e) {
      throw error(path, what + " shape " + TensorInfo.shapeString(shape) + " is too large");
    } catch (IllegalArgumentException e) {
      throw error(path, what + ": " + e.getMessage());
    }
    if (need != off[1] - off[0]) {
      throw error(
          path,
          what + " data_offsets [" + off[0] + ", " + off[1] + "] hold " + (off[1] - off[0])
              + " bytes but " + dtype + " shape " + TensorInfo.shapeString(shape) + " needs " + need);
    }
    return new TensorInfo(name, dtype, shape, off[0], off[1]);
  }

  private static long[] longArray(Path path, String what, String key, Json node, int length) {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw error(
          path,
          "bad header JSON: " + what + " has no " + key
              + (length >= 0 ? " array of " + length + " integers" : " array"));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      Json v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw error(path, "bad header JSON: " + what + " " + key + " has a value that is not a non-negative integer: " + v);
      }
      out[i] = v.asLong();
    }
    return out;
  }

  /** Tensors must cover [0, bufferSize) exactly, in some order, with no gaps or overlaps. */
  private static void checkTiling(Path path, List<TensorInfo> list, long bufferSize) {
    for (TensorInfo t : list) {
      if (t.end() > bufferSize) {
        throw error(
            path,
            "tensor '" + t.name() + "' data_offsets [" + t.begin() + ", " + t.end()
                + "] are out of range: the data buffer has " + bufferSize + " bytes (truncated file?)");
      }
    }
    List<TensorInfo> sorted = new ArrayList<>(list);
    sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long expected = 0;
    TensorInfo previous = null;
    for (TensorInfo t : sorted) {
      if (t.begin() < expected) {
        throw error(path, "tensor '" + t.name() + "' data_offsets [" + t.begin() + ", " + t.end() + "] overlap tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end() + "]");
      }
      if (t.begin() > expected) {
        throw error(path, "tensor '" + t.name() + "' begins at " + t.begin() + " but the previous tensor ends at " + expected + " (gap in the data buffer)");
      }
      expected = t.end();
      previous = t;
    }
    if (expected != bufferSize) {
      throw error(path, (bufferSize - expected) + " bytes after the last tensor are not described by the header (data buffer " + bufferSize + " bytes, tensors end at " + expected + ")");
    }
  }

  public Path path() {
    return path;
  }

  /** The {@code __metadata__} map (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** All tensors, in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }


  public long fileSize() {
    return fileSize;
  }

  /** Size of the data buffer (the sum of all tensor sizes). */
  public long dataBytes() {
    return data.byteSize();
  }

  /**
   * The entry for {@code name}.
   *
   * @throws CheckpointException when the file has no such tensor
   */
  public TensorInfo info(String name) {
    TensorInfo t = tensors.get(name);
    if (t == null) {
      throw error(path, "missing tensor '" + name + "'");
    }
    return t;
  }

  /** The raw little-endian bytes of a tensor: a read-only slice of the mapping (valid until close). */
  public MemorySegment data(String name) {
    TensorInfo t = info(name);
    return data.asSlice(t.begin(), t.byteSize()).asReadOnly();
  }

  /**
   * A float tensor as row-major float32, checked against the expected shape. F32 is copied; F16, BF16 and
   * F64 are converted.
   */
  public float[] floats(String name, long... expectedShape) {
    checkShape(name, expectedShape);
    return floatsOfAnyShape(name);
  }

  /** A float tensor as row-major float32, whatever its shape. */
  public float[] floatsOfAnyShape(String name) {
    TensorInfo t = info(name);
    float[] out = new float[arrayLength(t)];
    copyFloats(t, out, 0);
    return out;
  }

  /** Converts a float tensor into {@code dst[offset ..]}. */
  public void copyFloats(String name, float[] dst, int offset) {
    copyFloats(info(name), dst, offset);
  }

  private void copyFloats(TensorInfo t, float[] dst, int offset) {
    int n = arrayLength(t);
    if (offset < 0 || offset > dst.length - n) {
      throw new IndexOutOfBoundsException("tensor '" + t.name() + "' (" + n + " values) does not fit at " + offset + " in an array of " + dst.length);
    }
    long base = t.begin();
    switch (t.dtype()) {
      case F32 -> MemorySegment.copy(data, F32_LE, base, dst, offset, n);
      case F16 -> {
        for (int i = 0; i < n; i++) {
          dst[offset + i] = Float.float16ToFloat(data.get(I16_LE, base + 2L * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          dst[offset + i] = Float.intBitsToFloat((data.get(I16_LE, base + 2L * i) & 0xffff) << 16);
        }
      }
      case F64 -> {
        for (int i = 0; i < n; i++) {
          dst[offset + i] = (float) data.get(F64_LE, base + 8L * i);
        }
      }
      default -> throw wrongDtype(t, "F32, F16, BF16 or F64");
    }
    release(t);
  }

  /**
   * Drops a copied tensor's pages from this process's resident set ({@code madvise(MADV_DONTNEED)} through
   * {@link MemorySegment#unload}; they stay in the page cache and fault back in if read again). Without it
   * every byte of the mapping stays resident until {@link #close}, so loading would peak at the file's size
   * on top of the heap copy.
   */
  private void release(TensorInfo t) {
    if (data.isMapped() && t.byteSize() > 0) {
      data.asSlice(t.begin(), t.byteSize()).unload();
    }
  }

  /** An I8, U8 or BOOL tensor's bytes (U8 values are to be read as {@code b & 0xff}). */
  public byte[] bytes(String name, long... expectedShape) {
    TensorInfo t = checkShape(name, expectedShape);
    if (t.dtype() != DType.I8 && t.dtype() != DType.U8 && t.dtype() != DType.BOOL) {
      throw wrongDtype(t, "I8 or U8");
    }
    byte[] out = new byte[arrayLength(t)];
    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, t.begin(), out, 0, out.length);
    release(t);
    return out;
  }

  /** An I16 or U16 tensor. */
  public short[] shorts(String name, long... expectedShape) {
    TensorInfo t = checkShape(name, expectedShape);
    if (t.dtype() != DType.I16 && t.dtype() != DType.U16) {
      throw wrongDtype(t, "I16 or U16");
    }
    short[] out = new short[arrayLength(t)];
    MemorySegment.copy(data, I16_LE, t.begin(), out, 0, out.length);
    release(t);
    return out;
  }

  /** An I32 or U32 tensor. */
  public int[] ints(String name, long... expectedShape) {
    TensorInfo t = checkShape(name, expectedShape);
    if (t.dtype() != DType.I32 && t.dtype() != DType.U32) {
      throw wrongDtype(t, "I32 or U32");
    }
    int[] out = new int[arrayLength(t)];
    MemorySegment.copy(data, I32_LE, t.begin(), out, 0, out.length);
    release(t);
    return out;
  }

  /**
   * Checks a tensor's shape.
   *
   * @throws CheckpointException naming the tensor, its shape and the expected one
   */
  public TensorInfo checkShape(String name, long... expectedShape) {
    TensorInfo t = info(name);
    if (!t.hasShape(expectedShape)) {
      throw error(path, "tensor '" + name + "' has shape " + TensorInfo.shapeString(t.shape()) + " but " + TensorInfo.shapeString(expectedShape) + " was expected");
    }
    return t;
  }

  private int arrayLength(TensorInfo t) {
    long n = t.elementCount();
    if (n > Integer.MAX_VALUE - 8) {
      throw error(path, "tensor '" + t.name() + "' has " + n + " elements, too many for one Java array");
    }
    return (int) n;
  }

  private CheckpointException wrongDtype(TensorInfo t, String expected) {
    return error(path, "tensor '" + t.name() + "' has dtype " + t.dtype() + " but " + expected + " was expected");
  }

  static CheckpointException error(Path path, String message) {
    return new CheckpointException(path + ": " + message);
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /** Unmaps the file; idempotent. */
  @Override
  public synchronized void close() {
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }

  @Override
  public String toString() {
    return path + " (" + tensors.size() + " tensors, " + data.byteSize() + " bytes)";
  }
}
