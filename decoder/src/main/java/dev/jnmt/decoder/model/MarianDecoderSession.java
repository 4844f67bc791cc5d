package dev.jnmt.decoder.model;

import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.ops.FloatOps;
import dev.jnmt.decoder.search.DecoderSession;
import java.util.Arrays;

/**
 * Incremental decoder state for one mini-batch. Each row has, per layer, its own self-attention key and
 * value cache (one d-vector per generated position, appended at every step; keys transposed for the
 * score kernel); the cross-attention keys and values are computed once per sentence and shared by all
 * rows of that sentence. Reordering the rows moves cache arrays and copies only those a second child
 * needs.
 */
final class MarianDecoderSession implements DecoderSession {

  private static final int INITIAL_POSITIONS = 16;

  private final MarianModel model;
  private final int d;
  private final int f;
  private final int vocab;
  private final int heads;
  private final float scaling;
  private final int[] srcOffsets;
  private final int[] srcLengths;
  /**
   * [layer] → per sentence s, keys transposed d × crossKStrides[s] (the length padded for the vector
   * kernels) at crossKOffsets[s] (see Attention).
   */
  private final float[][] crossK;
  private final int[] crossKOffsets;
  private final int[] crossKStrides;
  private final float[][] crossV;
  /** [layer][row] → keys transposed, d × capacity (key of position p, dim c at c·capacity + p). */
  private float[][][] selfK;
  /** [layer][row] → values, capacity × d. */
  private float[][][] selfV;
  private int[] rowSentence;
  private int rows;
  private int position;
  private int capacity;

  private float[] x = new float[0];
  private float[] q = new float[0];
  private float[] k = new float[0];
  private float[] v = new float[0];
  private float[] ctx = new float[0];
  private float[] tmp = new float[0];
  private float[] hidden = new float[0];
  private float[] scores;

  MarianDecoderSession(MarianModel model, EncodedBatch enc) {
    this.model = model;
    MarianConfig spec = model.spec();
    this.d = spec.dModel();
    this.f = spec.decoderFfnDim();
    this.vocab = spec.targetVocabSize();
    this.heads = spec.decoderAttentionHeads();
    this.scaling = Attention.scaling(d, heads);
    this.srcOffsets = enc.offsets();
    this.srcLengths = enc.lengths();
    int layers = model.decoderLayers.length;
    int n = srcLengths.length;
    crossKOffsets = new int[n];
    crossKStrides = new int[n];
    int crossKSize = 0;
    for (int s = 0; s < n; s++) {
      crossKOffsets[s] = crossKSize;
      crossKStrides[s] = FloatOps.roundUpToPad(srcLengths[s]);
      crossKSize += d * crossKStrides[s];
    }
    crossK = new float[layers][];
    crossV = new float[layers][];
    for (int l = 0; l < layers; l++) {
      Attention a = model.decoderLayers[l].crossAttn();
      float[] keys = new float[enc.totalRows() * d];
      crossK[l] = new float[crossKSize];
      crossV[l] = new float[enc.totalRows() * d];
      a.k().forward(enc.hidden(), enc.totalRows(), keys);
      a.v().forward(enc.hidden(), enc.totalRows(), crossV[l]);
      for (int s = 0; s < srcLengths.length; s++) {
        Attention.transpose(
            keys, srcOffsets[s] * d, srcLengths[s], d, crossK[l], crossKOffsets[s], crossKStrides[s]);
      }
    }
    rows = enc.sentences();
    rowSentence = new int[rows];
    for (int i = 0; i < rows; i++) {
      rowSentence[i] = i;
    }
    capacity = INITIAL_POSITIONS;
    selfK = new float[layers][rows][capacity * d];
    selfV = new float[layers][rows][capacity * d];
    int longest = 0;
    for (int len : srcLengths) {
      longest = Math.max(longest, len);
    }
    scores = new float[FloatOps.roundUpToPad(Math.max(longest, capacity))];
  }

  @Override
  public int vocabSize() {
    return vocab;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public void step(int[] tokens, float[] logits) {
    if (tokens.length != rows) {
      throw new IllegalArgumentException("step: " + tokens.length + " tokens for " + rows + " rows");
    }
    int p = position;
    if (p >= model.spec().maxPositionEmbeddings()) {
      throw new IllegalStateException(
          "decoder position " + p + " exceeds max_position_embeddings " + model.spec().maxPositionEmbeddings());
    }
    ensureBuffers();
    ensureCapacity(p + 1);
    for (int r = 0; r < rows; r++) {
      int id = tokens[r];
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException("target id " + id + " is outside the vocabulary");
      }
      model.embed(model.decoderEmbedding, id, model.decoderPositions, p, x, r * d);
    }
    int n = rows * d;
    for (int l = 0; l < model.decoderLayers.length; l++) {
      MarianModel.DecoderLayer layer = model.decoderLayers[l];
      Attention sa = layer.selfAttn();
      sa.q().forward(x, rows, q);
      sa.k().forward(x, rows, k);
      sa.v().forward(x, rows, v);
      float[][] lk = selfK[l];
      float[][] lv = selfV[l];
      for (int r = 0; r < rows; r++) {
        float[] kr = lk[r];
        for (int c = 0; c < d; c++) {
          kr[c * capacity + p] = k[r * d + c];
        }
        System.arraycopy(v, r * d, lv[r], p * d, d);
        Attention.attend(
            q, r * d, kr, 0, capacity, lv[r], 0, p + 1, d, heads, scaling, ctx, r * d, scores);
      }
      sa.out().forward(ctx, rows, tmp);
      FloatOps.add(tmp, 0, x, 0, n);
      layer.selfLn().apply(x, rows, d);

      Attention ca = layer.crossAttn();
      ca.q().forward(x, rows, q);
      for (int r = 0; r < rows; r++) {
        int s = rowSentence[r];
        Attention.attend(
            q, r * d, crossK[l], crossKOffsets[s], crossKStrides[s], crossV[l], srcOffsets[s] * d,
            srcLengths[s], d, heads, scaling, ctx, r * d, scores);
      }
      ca.out().forward(ctx, rows, tmp);
      FloatOps.add(tmp, 0, x, 0, n);
      layer.crossLn().apply(x, rows, d);

      layer.fc1().forward(x, rows, hidden);
      FloatOps.activate(model.spec().activation(), hidden, 0, rows * f);
      layer.fc2().forward(hidden, rows, tmp);
      FloatOps.add(tmp, 0, x, 0, n);
      layer.ffnLn().apply(x, rows, d);
    }
    model.outputLayer.forward(x, rows, logits);
    position++;
  }

  @Override
  public void reorder(int[] parents) {
    int newRows = parents.length;
    int[] sentence = new int[newRows];
    for (int i = 0; i < newRows; i++) {
      int par = parents[i];
      if (par < 0 || par >= rows) {
        throw new IllegalArgumentException("reorder: parent " + par + " of " + rows + " rows");
      }
      sentence[i] = rowSentence[par];
    }
    for (int l = 0; l < selfK.length; l++) {
      // Only the filled positions are copied: keys are [d × capacity] (d runs of `position` floats),
      // values [capacity × d] (one run of position·d floats).
      selfK[l] = gather(selfK[l], parents, d, capacity, position);
      selfV[l] = gather(selfV[l], parents, 1, 0, position * d);
    }
    rowSentence = sentence;
    rows = newRows;
  }

  /**
   * New row i gets old row parents[i]'s array; a parent's second and later children get copies (of the
   * {@code runs} filled runs), made into the arrays of dropped rows when there are any (no allocation in
   * the steady state; what lies past the filled positions is never used).
   */
  private static float[][] gather(float[][] old, int[] parents, int runs, int runStride, int runLength) {
    boolean[] taken = new boolean[old.length];
    for (int par : parents) {
      taken[par] = true;
    }
    float[][] free = new float[old.length][];
    int nFree = 0;
    for (int i = 0; i < old.length; i++) {
      if (!taken[i]) {
        free[nFree++] = old[i];
      }
    }
    boolean[] used = new boolean[old.length];
    float[][] out = new float[parents.length][];
    for (int i = 0; i < parents.length; i++) {
      int par = parents[i];
      if (used[par]) {
        float[] src = old[par];
        float[] c = nFree > 0 ? free[--nFree] : new float[src.length];
        for (int r = 0; r < runs; r++) {
          System.arraycopy(src, r * runStride, c, r * runStride, runLength);
        }
        out[i] = c;
      } else {
        out[i] = old[par];
        used[par] = true;
      }
    }
    return out;
  }

  private void ensureBuffers() {
    int n = rows * d;
    if (x.length < n) {
      x = new float[n];
      q = new float[n];
      k = new float[n];
      v = new float[n];
      ctx = new float[n];
      tmp = new float[n];
      hidden = new float[rows * f];
    }
  }

  private void ensureCapacity(int positions) {
    if (positions <= capacity) {
      return;
    }
    int cap = FloatOps.roundUpToPad(Math.max(positions, capacity * 2));
    for (int l = 0; l < selfK.length; l++) {
      for (int r = 0; r < rows; r++) {
        float[] old = selfK[l][r];
        float[] wider = new float[cap * d];
        for (int c = 0; c < d; c++) {
          System.arraycopy(old, c * capacity, wider, c * cap, capacity);
        }
        selfK[l][r] = wider;
        selfV[l][r] = Arrays.copyOf(selfV[l][r], cap * d);
      }
    }
    capacity = cap;
    if (scores.length < cap) {
      scores = new float[cap];
    }
  }
}
