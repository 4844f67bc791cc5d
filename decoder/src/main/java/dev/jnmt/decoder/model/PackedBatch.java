package dev.jnmt.decoder.model;

/**
 * Rows of a mini-batch packed without padding: sentence s occupies rows [offsets[s], offsets[s] +
 * lengths[s]) of a [totalRows × d] matrix.
 */
record PackedBatch(int[] offsets, int[] lengths, int totalRows) {

  int sentences() {
    return lengths.length;
  }

  /** The longest sentence, in rows. */
  int longest() {
    int m = 0;
    for (int len : lengths) {
      m = Math.max(m, len);
    }
    return m;
  }
}
