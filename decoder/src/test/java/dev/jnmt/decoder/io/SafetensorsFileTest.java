package dev.jnmt.decoder.io;

import dev.jnmt.decoder.base.CheckpointException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  @TempDir Path tmp;

  static Path fixture() throws URISyntaxException {
    return Path.of(SafetensorsFileTest.class.getResource("/safetensors/dtypes.safetensors").toURI());
  }

  @Test
  void convertsF16Bf16F64LikeNumpyAndTorch() throws Exception {
    try (SafetensorsFile f = SafetensorsFile.open(fixture())) {
      assertArrayEquals(f.floats("f16_as_f32", 64), f.floats("f16", 64));
      assertArrayEquals(f.floats("bf16_as_f32", 4, 16), f.floats("bf16", 4, 16));
      assertArrayEquals(f.floats("f64_as_f32", 16), f.floats("f64", 16));
      float[] h = f.floats("f16", 64);
      assertEquals(65504f, h[4]);
      assertEquals(5.9604645e-8f, h[7]);
      assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(h[1]));
      assertTrue(Float.isNaN(h[12]));
      assertEquals(Float.POSITIVE_INFINITY, f.floats("f64", 16)[2]);
      assertArrayEquals(new byte[] {-128, -1, 0, 1, 64, 127}, f.bytes("i8", 2, 3));
      assertArrayEquals(new byte[] {0, 1, (byte) 128, (byte) 254, (byte) 255}, f.bytes("u8", 5));
      assertArrayEquals(new short[] {-32768, 7, 32767}, f.shorts("i16", 3));
      assertArrayEquals(new int[] {Integer.MIN_VALUE, -5, 6, Integer.MAX_VALUE}, f.ints("i32", 2, 2));
      assertArrayEquals(new float[] {2.75f}, f.floats("scalar"));
      assertEquals(0, f.floats("empty", 0, 4).length);
      assertEquals(Map.of("format", "pt", "made_by", "make.py"), f.metadata());
      assertEquals(DType.BF16, f.info("bf16").dtype());
      assertEquals(12, f.tensors().size());
      assertEquals(2 * 64, f.data("bf16").byteSize());
    }
  }

  @Test
  void writerReproducesTheReferenceLayoutByteForByte() throws Exception {
    Path ref = fixture();
    SafetensorsWriter w = new SafetensorsWriter();
    try (SafetensorsFile f = SafetensorsFile.open(ref)) {
      // added in reverse header order: the writer's layout must not depend on insertion order
      List<TensorInfo> infos = List.copyOf(f.tensors().values()).reversed();
      for (TensorInfo t : infos) {
        w.addRaw(t.name(), t.dtype(), f.data(t.name()), t.shape());
      }
      f.metadata().forEach(w::metadata);
      Path out = tmp.resolve("copy.safetensors");
      w.write(out, ref);
      assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(out));
    }
  }

  @Test
  void writerRoundTripsTypedArraysAlignedAndAtomically() throws IOException {
    float[] f = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, 3e38f, 7f};
    byte[] b = {-128, 0, 127};
    short[] s = {-32768, 1, 32767, 5};
    int[] i = {Integer.MIN_VALUE, 0, Integer.MAX_VALUE};
    Path out = tmp.resolve("sub/x.safetensors");
    new SafetensorsWriter()
        .addI8("b", b, 3)
        .addF32("z.weight", f, 2, 3)
        .addI16("s", s, 2, 2)
        .addI32("a", i, 3)
        .addU8("u", new byte[] {(byte) 200}, 1)
        .addF32("scalar", new float[] {4f})
        .metadata("format", "jnmt-test")
        .write(out);
    byte[] bytes = Files.readAllBytes(out);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(0, (8 + n) % 8);
    assertEquals(' ', bytes[(int) (8 + n - 1)] == '}' ? ' ' : bytes[(int) (8 + n - 1)]);
    try (SafetensorsFile r = SafetensorsFile.open(out)) {
      assertArrayEquals(f, r.floats("z.weight", 2, 3));
      assertArrayEquals(b, r.bytes("b", 3));
      assertArrayEquals(s, r.shorts("s", 2, 2));
      assertArrayEquals(i, r.ints("a", 3));
      assertArrayEquals(new float[] {4f}, r.floats("scalar"));
      assertEquals("jnmt-test", r.metadata().get("format"));
      assertEquals(List.of("a", "scalar", "z.weight", "s", "b", "u"), List.copyOf(r.tensors().keySet()));
      for (TensorInfo t : r.tensors().values()) {
        assertEquals(0, (8 + n + t.begin()) % t.dtype().byteSize(), t.name() + " is not aligned");
      }
    }
    try (var files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList(), "no temporary file is left behind");
    }
    // replacing an existing output works and is complete
    new SafetensorsWriter().addF32("only", new float[] {1f}, 1).write(out);
    try (SafetensorsFile r = SafetensorsFile.open(out)) {
      assertEquals(1, r.tensors().size());
    }
  }

  @Test
  void writerRefusesToOverwriteAnInput() throws Exception {
    Path in = tmp.resolve("in.safetensors");
    Files.copy(fixture(), in);
    byte[] before = Files.readAllBytes(in);
    SafetensorsWriter w = new SafetensorsWriter().addF32("x", new float[] {1}, 1);
    CheckpointException e = assertThrows(CheckpointException.class, () -> w.write(tmp.resolve("./in.safetensors"), in));
    assertTrue(e.getMessage().contains("refusing to overwrite the input file"), e.getMessage());
    Path link = Files.createSymbolicLink(tmp.resolve("link.safetensors"), in);
    assertThrows(CheckpointException.class, () -> w.write(in, link));
    assertArrayEquals(before, Files.readAllBytes(in));
  }

  @Test
  void writerRejectsInconsistentInput() {
    SafetensorsWriter w = new SafetensorsWriter();
    assertThrows(IllegalArgumentException.class, () -> w.addF32("x", new float[3], 2, 2));
    assertThrows(IllegalArgumentException.class, () -> w.addF32("__metadata__", new float[1], 1));
    assertThrows(IllegalArgumentException.class, () -> w.addF32("n", new float[0], -1, 0));
    w.addF32("x", new float[4], 2, 2);
    assertThrows(IllegalArgumentException.class, () -> w.addI8("x", new byte[4], 4));
    assertThrows(IllegalArgumentException.class, () -> w.addRaw("h", DType.F16, MemorySegment.ofArray(new byte[3]), 2));
  }

  // ---- malformed files ---------------------------------------------------------------------------

  /** A file with this exact header text (padded) and data bytes. */
  Path raw(String name, String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    int pad = (int) ((8 - (8 + h.length) % 8) % 8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + pad + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length + pad).put(h);
    for (int i = 0; i < pad; i++) {
      buf.put((byte) ' ');
    }
    Path p = tmp.resolve(name);
    Files.write(p, buf.array());
    return p;
  }

  static String openError(Path p) {
    CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(p).close());
    String m = e.getMessage();
    assertFalse(m.contains("\n") || m.contains("\r"), "not one line: " + m);
    assertTrue(m.startsWith(p + ": "), "does not name the file: " + m);
    return m.substring(p.toString().length() + 2);
  }

  static final String T = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
      + "\"b\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[8,16]}}";

  @Test
  void validFileForTheMalformedVariants() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(raw("ok", T, 16))) {
      assertEquals(2, f.tensors().size());
    }
  }

  @Test
  void truncatedFiles() throws IOException {
    Path ok = raw("ok", T, 16);
    byte[] all = Files.readAllBytes(ok);
    Path cut = tmp.resolve("cut");
    Files.write(cut, Arrays.copyOf(all, all.length - 3));
    assertEquals("tensor 'b' data_offsets [8, 16] are out of range: the data buffer has 13 bytes (truncated file?)", openError(cut));
    Files.write(cut, Arrays.copyOf(all, 40));
    assertTrue(openError(cut).startsWith("header length "), openError(cut));
    assertTrue(openError(cut).contains("runs past the end of the file (40 bytes; truncated file?)"), openError(cut));
    Files.write(cut, Arrays.copyOf(all, 5));
    assertEquals("too short for a safetensors file (5 bytes; the 8-byte header length is missing)", openError(cut));
    Files.write(cut, new byte[0]);
    assertTrue(openError(cut).startsWith("too short"));
    assertEquals("no such file", openError(tmp.resolve("absent.safetensors")));
  }

  @Test
  void headerLengthBeyondFileOrLimit() throws IOException {
    Path p = tmp.resolve("len");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}      ".getBytes(StandardCharsets.US_ASCII));
    Files.write(p, b.array());
    assertEquals("header length 1000 runs past the end of the file (16 bytes; truncated file?)", openError(p));
    b.clear();
    b.putLong(-1L);
    Files.write(p, b.array());
    assertTrue(openError(p).startsWith("header length 18446744073709551615 is over the limit"), openError(p));
    b.clear();
    b.putLong(200_000_000L);
    Files.write(p, b.array());
    assertTrue(openError(p).contains("over the limit of 100000000 bytes"));
  }

  @Test
  void badHeaderJson() throws IOException {
    assertTrue(openError(raw("j1", "[1, 2]", 0)).startsWith("bad header JSON: the header does not start with '{'"));
    assertTrue(openError(raw("j2", "{\"a\": {\"dtype\": \"F32\",", 0)).startsWith("bad header JSON at header byte"));
    assertTrue(openError(raw("j3", "{} trailing", 0)).startsWith("bad header JSON"));
    assertTrue(openError(raw("j4", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8))
        .contains("Duplicate field 'a'"));
    assertEquals("bad header JSON: tensor 'a' has no dtype string", openError(raw("j5", "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
    assertEquals("bad header JSON: tensor 'a' has no shape array", openError(raw("j6", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4)));
    assertEquals("bad header JSON: tensor 'a' has no data_offsets array of 2 integers", openError(raw("j7", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4)));
    assertEquals("bad header JSON: tensor 'a' shape has a value that is not a non-negative integer: -1", openError(raw("j8", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)));
    assertEquals("bad header JSON: tensor 'a' shape has a value that is not a non-negative integer: 1.5", openError(raw("j9", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4)));
    assertEquals("bad header JSON: __metadata__ value 'n' is not a string", openError(raw("j10", "{\"__metadata__\":{\"n\":1}}", 0)));
    assertEquals("bad header JSON: tensor 'a' is not an object", openError(raw("j11", "{\"a\":3}", 0)));
    Path p = raw("j12", "{\"a\":\"\u00e9\"}", 0);
    byte[] bytes = Files.readAllBytes(p);
    bytes[15] = (byte) 0xff;
    Files.write(p, bytes);
    assertTrue(openError(p).startsWith("bad header JSON"), openError(p));
  }

  @Test
  void dtypeProblems() throws IOException {
    assertEquals("tensor 'a' has unknown dtype 'Q7'", openError(raw("d1", "{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
    assertEquals("tensor 'a' has unknown dtype 'f32'", openError(raw("d2", "{\"a\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
    assertEquals("tensor 'a': 3 elements of F4 are not a whole number of bytes", openError(raw("d3", "{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2)));
    try (SafetensorsFile f = SafetensorsFile.open(raw("d4", "{\"a\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[0,4]},\"c\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[4,12]}}", 12))) {
      assertEquals(f.path() + ": tensor 'a' has dtype I8 but F32, F16, BF16 or F64 was expected",
          assertThrows(CheckpointException.class, () -> f.floats("a", 4)).getMessage());
      assertEquals(f.path() + ": tensor 'c' has dtype C64 but F32, F16, BF16 or F64 was expected",
          assertThrows(CheckpointException.class, () -> f.floats("c", 1)).getMessage());
      assertEquals(f.path() + ": tensor 'a' has dtype I8 but I32 or U32 was expected",
          assertThrows(CheckpointException.class, () -> f.ints("a", 4)).getMessage());
      assertEquals(f.path() + ": tensor 'c' has dtype C64 but I8 or U8 was expected",
          assertThrows(CheckpointException.class, () -> f.bytes("c", 1)).getMessage());
    }
  }

  @Test
  void offsetsOutOfRangeOverlappingOrNotTiling() throws IOException {
    assertEquals("tensor 'a' data_offsets [0, 8] hold 8 bytes but F32 shape [3] needs 12",
        openError(raw("o1", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)));
    assertEquals("tensor 'a' has data_offsets [8, 4] with end before begin",
        openError(raw("o2", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8)));
    assertEquals("tensor 'b' data_offsets [4, 12] are out of range: the data buffer has 8 bytes (truncated file?)",
        openError(raw("o3", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 8)));
    assertEquals("tensor 'b' data_offsets [4, 12] overlap tensor 'a' [0, 8]",
        openError(raw("o4", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)));
    assertEquals("tensor 'b' begins at 8 but the previous tensor ends at 4 (gap in the data buffer)",
        openError(raw("o5", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12)));
    assertEquals("tensor 'a' begins at 4 but the previous tensor ends at 0 (gap in the data buffer)",
        openError(raw("o6", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)));
    assertEquals("4 bytes after the last tensor are not described by the header (data buffer 8 bytes, tensors end at 4)",
        openError(raw("o7", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)));
    assertEquals("tensor 'a' shape [4294967296, 4294967296] is too large",
        openError(raw("o8", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4)));
    assertTrue(openError(raw("o9", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 4))
        .startsWith("bad header JSON: tensor 'a' data_offsets has a value that is not a non-negative integer"));
    // zero-size tensors may share an offset
    try (SafetensorsFile f = SafetensorsFile.open(raw("o10", "{\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},\"f\":{\"dtype\":\"I8\",\"shape\":[0,3],\"data_offsets\":[0,0]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4))) {
      assertEquals(3, f.tensors().size());
    }
  }

  @Test
  void missingTensorAndWrongShape() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(raw("m", T, 16))) {
      assertEquals(f.path() + ": missing tensor 'c'", assertThrows(CheckpointException.class, () -> f.floats("c", 2)).getMessage());
      assertEquals(f.path() + ": tensor 'b' has shape [2, 2] but [4] was expected",
          assertThrows(CheckpointException.class, () -> f.floats("b", 4)).getMessage());
      assertEquals(4, f.floats("b", 2, 2).length);
    }
  }

  @Test
  void closedFileCannotBeRead() throws IOException {
    SafetensorsFile f = SafetensorsFile.open(raw("c", T, 16));
    MemorySegment seg = f.data("a");
    f.close();
    f.close();
    assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_BYTE, 0));
  }

  @Test
  void readsConcurrently() throws Exception {
    float[] v = new float[100_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.5f;
    }
    Path p = tmp.resolve("big.safetensors");
    new SafetensorsWriter().addF32("v", v, v.length).write(p);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      Consumer<Integer> check = k -> assertArrayEquals(v, f.floats("v", v.length));
      Thread[] ts = new Thread[4];
      Throwable[] err = new Throwable[1];
      for (int t = 0; t < ts.length; t++) {
        ts[t] = new Thread(() -> check.accept(0));
        ts[t].setUncaughtExceptionHandler((th, ex) -> err[0] = ex);
        ts[t].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      assertEquals(null, err[0]);
    }
  }
}
