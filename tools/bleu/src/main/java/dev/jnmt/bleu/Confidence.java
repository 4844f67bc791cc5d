package dev.jnmt.bleu;

/**
 * A bootstrap estimate: the mean of the resampled scores and half the width of their 95% interval
 * ({@code 0.5 * (upper - lower)}, with the bounds at {@code n // 40} from either end of the sorted
 * scores), as sacrebleu computes them.
 *
 * @param mean the mean resampled score
 * @param ci half the 95% interval
 */
public record Confidence(double mean, double ci) {}
