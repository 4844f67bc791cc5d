package dev.jnmt.decoder.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The feed-forward activations a MarianMT config can name ({@code activation_function}). */
public enum Activation {
  /** x·σ(x); HF names it "swish" (opus-mt) or "silu". */
  SWISH("swish", "silu"),
  RELU("relu"),
  /** Exact: 0.5·x·(1 + erf(x/√2)). */
  GELU("gelu"),
  /** Tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  GELU_NEW("gelu_new", "gelu_pytorch_tanh");

  private final String[] names;

  Activation(String... names) {
    this.names = names;
  }

  /** The Hugging Face name written to config.json. */
  public String hfName() {
    return names[0];
  }

  public static Optional<Activation> fromHfName(String name) {
    for (Activation a : values()) {
      for (String n : a.names) {
        if (n.equals(name)) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  /** "swish, silu, relu, ..." for error messages. */
  public static String supportedNames() {
    return Arrays.stream(values())
        .flatMap(a -> Arrays.stream(a.names))
        .collect(Collectors.joining(", "));
  }
}
