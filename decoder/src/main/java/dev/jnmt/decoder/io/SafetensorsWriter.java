package dev.jnmt.decoder.io;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a safetensors file that {@link SafetensorsFile} and the reference implementation read.
 *
 * <p>Deterministic output: tensors are laid out by element size, largest first, then by name, so every
 * tensor starts at a multiple of its element size (the header is padded with spaces so that 8+N is a
 * multiple of 8, as the reference writer does). {@code __metadata__} keys are written sorted.
 *
 * <p>{@link #write} is atomic: the file is written to a temporary file in the target directory, forced to
 * disk and renamed over the target. It refuses to replace any of the given input files.
 *
 * <p>The writer keeps references to the arrays and segments it is given until {@link #write}.
 */
public final class SafetensorsWriter {

  private static final int CHUNK = 1 << 20;

  private sealed interface Payload permits FloatPayload, BytePayload, ShortPayload, IntPayload, RawPayload {}

  private record FloatPayload(float[] values) implements Payload {}

  private record BytePayload(byte[] values) implements Payload {}

  private record ShortPayload(short[] values) implements Payload {}

  private record IntPayload(int[] values) implements Payload {}

  private record RawPayload(MemorySegment bytes) implements Payload {}

  private record Entry(String name, DType dtype, long[] shape, Payload payload, long bytes) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, String> metadata = new TreeMap<>();

  /** Adds a {@code __metadata__} entry. */
  public SafetensorsWriter metadata(String key, String value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException("metadata key and value must not be null");
    }
    metadata.put(key, value);
    return this;
  }

  /** Adds an F32 tensor. */
  public SafetensorsWriter addF32(String name, float[] values, long... shape) {
    return add(name, DType.F32, shape, new FloatPayload(values), values.length);
  }

  /** Adds an I8 tensor. */
  public SafetensorsWriter addI8(String name, byte[] values, long... shape) {
    return add(name, DType.I8, shape, new BytePayload(values), values.length);
  }

  /** Adds a U8 tensor (values are the unsigned bytes {@code b & 0xff}). */
  public SafetensorsWriter addU8(String name, byte[] values, long... shape) {
    return add(name, DType.U8, shape, new BytePayload(values), values.length);
  }

  /** Adds an I16 tensor. */
  public SafetensorsWriter addI16(String name, short[] values, long... shape) {
    return add(name, DType.I16, shape, new ShortPayload(values), values.length);
  }

  /** Adds an I32 tensor. */
  public SafetensorsWriter addI32(String name, int[] values, long... shape) {
    return add(name, DType.I32, shape, new IntPayload(values), values.length);
  }

  /**
   * Adds a tensor of any dtype from its little-endian bytes (for example an F16 tensor copied unchanged
   * from a {@link SafetensorsFile#data} segment).
   */
  public SafetensorsWriter addRaw(String name, DType dtype, MemorySegment littleEndianBytes, long... shape) {
    long need = bytesFor(name, dtype, shape);
    if (littleEndianBytes.byteSize() != need) {
      throw new IllegalArgumentException("tensor '" + name + "': " + littleEndianBytes.byteSize() + " bytes given, " + dtype + " shape " + TensorInfo.shapeString(shape) + " needs " + need);
    }
    return put(new Entry(name, dtype, shape.clone(), new RawPayload(littleEndianBytes), need));
  }

  private SafetensorsWriter add(String name, DType dtype, long[] shape, Payload payload, int length) {
    long need = bytesFor(name, dtype, shape);
    if (need != (long) length * dtype.byteSize()) {
      throw new IllegalArgumentException("tensor '" + name + "': " + length + " values given but shape " + TensorInfo.shapeString(shape) + " needs " + TensorInfo.elementCount(shape));
    }
    return put(new Entry(name, dtype, shape.clone(), payload, need));
  }

  private static long bytesFor(String name, DType dtype, long[] shape) {
    if (name == null || name.isEmpty() || name.equals(SafetensorsFile.METADATA_KEY)) {
      throw new IllegalArgumentException("invalid tensor name '" + name + "'");
    }
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + TensorInfo.shapeString(shape));
      }
    }
    return dtype.bytesFor(TensorInfo.elementCount(shape));
  }

  private SafetensorsWriter put(Entry e) {
    if (entries.putIfAbsent(e.name(), e) != null) {
      throw new IllegalArgumentException("tensor '" + e.name() + "' added twice");
    }
    return this;
  }

  /** Number of tensors added so far. */
  public int size() {
    return entries.size();
  }

  /** The tensors in file order. */
  private List<Entry> ordered() {
    List<Entry> list = new ArrayList<>(entries.values());
    list.sort(
        Comparator.comparingInt((Entry e) -> -e.dtype().bits())
            .thenComparing(Entry::name));
    return list;
  }

  /** The header bytes, padded with spaces so that 8 + length is a multiple of 8. */
  byte[] header() {
    Json root = Json.object();
    if (!metadata.isEmpty()) {
      Json m = Json.object();
      root.put(SafetensorsFile.METADATA_KEY, m);
      metadata.forEach(m::put);
    }
    long offset = 0;
    for (Entry e : ordered()) {
      Json t = Json.object();
      root.put(e.name(), t);
      t.put("dtype", e.dtype().name());
      Json s = Json.array();
      t.put("shape", s);
      for (long d : e.shape()) {
        s.add(d);
      }
      Json o = Json.array();
      t.put("data_offsets", o);
      o.add(offset);
      o.add(offset + e.bytes());
      offset += e.bytes();
    }
    byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = new byte[padded];
    System.arraycopy(json, 0, out, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      out[i] = ' ';
    }
    return out;
  }

  /**
   * Writes the file atomically.
   *
   * @param target the file to create or replace
   * @param inputs files this output was derived from; the target must not be one of them
   * @throws CheckpointException naming the target when it is an input or cannot be written
   */
  public void write(Path target, Path... inputs) {
    Path absTarget = target.toAbsolutePath().normalize();
    for (Path in : inputs) {
      if (sameFile(absTarget, in)) {
        throw new CheckpointException(target + ": refusing to overwrite the input file " + in);
      }
    }
    Path dir = absTarget.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + absTarget.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] header = header();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
        writeFully(ch, len);
        writeFully(ch, ByteBuffer.wrap(header));
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : ordered()) {
          writePayload(ch, e, buf);
        }
        ch.force(true);
      }
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the default permissions
      }
      try {
        Files.move(tmp, absTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absTarget, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new CheckpointException(target + ": cannot write: " + SafetensorsFile.oneLine(e.toString()), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary file is left behind; the original error matters more
        }
      }
    }
  }

  private static boolean sameFile(Path absTarget, Path input) {
    Path absIn = input.toAbsolutePath().normalize();
    if (absIn.equals(absTarget)) {
      return true;
    }
    try {
      return Files.exists(absTarget) && Files.exists(absIn) && Files.isSameFile(absTarget, absIn);
    } catch (IOException e) {
      return false;
    }
  }

  private static void writePayload(FileChannel ch, Entry e, ByteBuffer buf) throws IOException {
    MemorySegment chunk = MemorySegment.ofBuffer(buf.clear());
    switch (e.payload()) {
      case FloatPayload(float[] v) -> {
        int per = CHUNK / 4;
        for (int i = 0; i < v.length; i += per) {
          int n = Math.min(per, v.length - i);
          MemorySegment.copy(v, i, chunk, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, n);
          flush(ch, buf, 4L * n);
        }
      }
      case ShortPayload(short[] v) -> {
        int per = CHUNK / 2;
        for (int i = 0; i < v.length; i += per) {
          int n = Math.min(per, v.length - i);
          MemorySegment.copy(v, i, chunk, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, n);
          flush(ch, buf, 2L * n);
        }
      }
      case IntPayload(int[] v) -> {
        int per = CHUNK / 4;
        for (int i = 0; i < v.length; i += per) {
          int n = Math.min(per, v.length - i);
          MemorySegment.copy(v, i, chunk, ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, n);
          flush(ch, buf, 4L * n);
        }
      }
      case BytePayload(byte[] v) -> writeFully(ch, ByteBuffer.wrap(v));
      case RawPayload(MemorySegment s) -> {
        for (long i = 0; i < s.byteSize(); i += CHUNK) {
          long n = Math.min(CHUNK, s.byteSize() - i);
          MemorySegment.copy(s, i, chunk, 0, n);
          flush(ch, buf, n);
        }
      }
    }
  }

  private static void flush(FileChannel ch, ByteBuffer buf, long n) throws IOException {
    buf.clear().limit((int) n);
    writeFully(ch, buf);
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
