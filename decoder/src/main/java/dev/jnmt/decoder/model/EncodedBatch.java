package dev.jnmt.decoder.model;

/**
 * Encoder output of a mini-batch, packed without padding: sentence s occupies rows [offsets[s],
 * offsets[s] + lengths[s]) of {@code hidden} ([totalRows × d]).
 */
public record EncodedBatch(float[] hidden, int[] offsets, int[] lengths, int totalRows, int d) {

  /** Number of sentences. */
  public int sentences() {
    return lengths.length;
  }
}
