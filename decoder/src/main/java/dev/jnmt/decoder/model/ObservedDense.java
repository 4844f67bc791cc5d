package dev.jnmt.decoder.model;

/**
 * A dense layer that shows each call's input to an {@link Observer} before computing (used to calibrate
 * activation scales on sample text). Thread-safe if the observer is.
 */
public final class ObservedDense implements Dense {

  /** Receives the input of every call. */
  @FunctionalInterface
  public interface Observer {
    /**
     * @param layer the layer's weight name
     * @param x [rows × in] row-major (only the first rows·in values belong to the call); do not keep it
     */
    void observe(String layer, float[] x, int rows, int in);
  }

  private final String name;
  private final Dense delegate;
  private final Observer observer;

  public ObservedDense(String name, Dense delegate, Observer observer) {
    this.name = name;
    this.delegate = delegate;
    this.observer = observer;
  }

  /** The layer's weight name. */
  public String name() {
    return name;
  }

  @Override
  public int inFeatures() {
    return delegate.inFeatures();
  }

  @Override
  public int outFeatures() {
    return delegate.outFeatures();
  }

  @Override
  public GemmPrecision precision() {
    return delegate.precision();
  }

  @Override
  public void forward(float[] x, int rows, float[] y) {
    observer.observe(name, x, rows, delegate.inFeatures());
    delegate.forward(x, rows, y);
  }

  @Override
  public Dense select(int[] columns) {
    return new ObservedDense(name, delegate.select(columns), observer);
  }
}
