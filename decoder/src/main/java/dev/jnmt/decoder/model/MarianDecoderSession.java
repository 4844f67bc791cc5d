package dev.jnmt.decoder.model;

import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.search.DecoderSession;
import dev.jnmt.decoder.shortlist.BatchColumns;
import java.util.List;

/**
 * Incremental decoder state for one mini-batch: per decoder layer a {@link KvCache} (one row per
 * hypothesis) and the {@link CrossAttention.Memory} of the encoder output (one per sentence, shared by
 * all rows of that sentence). A step is the embeddings, the decoder layers ({@link #decode}) and the
 * output layer; reordering moves the cache rows, closing gives their chunks back.
 */
final class MarianDecoderSession implements DecoderSession {

  private final MarianModel model;
  private final List<DecoderLayer> layers;
  private final int d;
  private final int vocab;
  private final CrossAttention.Memory[] memory;
  private final KvCache[] caches;
  private final Workspace ws = new Workspace();
  /** The sentence of each row (the first {@link #rows} entries), and the array the next reorder fills. */
  private int[] rowSentence;
  private int[] spareSentence = new int[0];
  private int rows;
  private int position;
  private float[] x = new float[0];
  /** With a shortlist: its columns, the output layer restricted to them, and [rows × columns] logits. */
  private final BatchColumns columns;
  private final Dense selectedOutput;
  private float[] compact = new float[0];
  /** With a shortlist: per sentence its allowed ids (the ids of its rows), and the row stride. */
  private final int[][] sentenceIds;
  private final int stride;

  MarianDecoderSession(MarianModel model, EncodedBatch enc, BatchColumns columns) {
    this.columns = columns;
    this.selectedOutput = columns == null ? null : model.outputLayer().select(columns.columns());
    this.sentenceIds = columns == null ? null : new int[columns.sentences()][];
    for (int s = 0; sentenceIds != null && s < sentenceIds.length; s++) {
      sentenceIds[s] = columns.allowedIds(s);
    }
    this.stride = columns == null ? model.spec().targetVocabSize() : Math.max(1, columns.maxAllowedCount());
    this.model = model;
    this.layers = model.decoderLayers();
    MarianConfig spec = model.spec();
    this.d = spec.dModel();
    this.vocab = spec.targetVocabSize();
    int n = layers.size();
    memory = new CrossAttention.Memory[n];
    caches = new KvCache[n];
    rows = enc.sentences();
    for (int l = 0; l < n; l++) {
      memory[l] = layers.get(l).crossAttention().memory(enc);
      caches[l] = new KvCache(rows, d, spec.maxPositionEmbeddings(), model.kvPool());
    }
    rowSentence = new int[rows];
    for (int i = 0; i < rows; i++) {
      rowSentence[i] = i;
    }
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
  public int logitsStride() {
    return stride;
  }

  @Override
  public int[] rowIds(int row) {
    return sentenceIds == null ? null : sentenceIds[rowSentence[row]];
  }

  @Override
  public void step(int[] tokens, float[] logits) {
    float[] hidden = decode(tokens);
    if (selectedOutput == null) {
      model.outputLayer().forward(hidden, rows, logits);
      return;
    }
    int n = rows * columns.columnCount();
    if (compact.length < n) {
      compact = new float[n];
    }
    selectedOutput.forward(hidden, rows, compact);
    columns.gather(compact, rows, rowSentence, logits, stride);
  }

  /**
   * The decoder step without the output layer: embeds {@code tokens} (one per row) at the current
   * position, runs every decoder layer and returns the final hidden states [rows × d] (a buffer of this
   * session, valid until the next step).
   */
  float[] decode(int[] tokens) {
    if (tokens.length != rows) {
      throw new IllegalArgumentException("step: " + tokens.length + " tokens for " + rows + " rows");
    }
    int p = position;
    MarianConfig spec = model.spec();
    if (p >= spec.maxPositionEmbeddings()) {
      throw new IllegalStateException(
          "decoder position " + p + " exceeds max_position_embeddings " + spec.maxPositionEmbeddings());
    }
    if (x.length < rows * d) {
      x = new float[rows * d];
    }
    ws.ensureRows(rows, d, spec.decoderFfnDim());
    Embeddings e = model.embeddings();
    for (int r = 0; r < rows; r++) {
      int id = tokens[r];
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException("target id " + id + " is outside the vocabulary");
      }
      e.embedTarget(id, p, x, r * d);
    }
    MarianModel.StackNorms norms = model.decoderNorms();
    MarianModel.StackNorms.apply(norms.embedding(), x, rows);
    for (int l = 0; l < layers.size(); l++) {
      layers.get(l).step(x, rows, p, caches[l], memory[l], rowSentence, ws);
    }
    MarianModel.StackNorms.apply(norms.last(), x, rows);
    position++;
    return x;
  }

  @Override
  public void reorder(int[] parents) {
    int newRows = parents.length;
    if (spareSentence.length < newRows) {
      spareSentence = new int[Math.max(newRows, rowSentence.length)];
    }
    int[] sentence = spareSentence;
    for (int i = 0; i < newRows; i++) {
      int par = parents[i];
      if (par < 0 || par >= rows) {
        throw new IllegalArgumentException("reorder: parent " + par + " of " + rows + " rows");
      }
      sentence[i] = rowSentence[par];
    }
    for (KvCache c : caches) {
      c.reorder(parents, position);
    }
    spareSentence = rowSentence;
    rowSentence = sentence;
    rows = newRows;
  }

  /** Gives the cache chunks back to the model's pool. */
  @Override
  public void close() {
    for (KvCache c : caches) {
      c.release();
    }
  }
}
