package dev.jnmt.tools;

import dev.jnmt.decoder.model.PrecisionMismatchException;

/** Turns the library's typed errors into messages that name the CLI's own flags. */
final class CliErrors {
  private CliErrors() {}

  /** The one-line message the CLI prints for {@code ex} (after {@code "jnmt <command>: "}). */
  static String message(Throwable ex) {
    String msg =
        switch (ex) {
          case PrecisionMismatchException p ->
              p.location() + ": the weights are stored as " + p.stored().cliName() + "; run it with --gemm-precision "
                  + PrecisionMismatchException.allowed(p.stored()) + " (not " + p.requested().cliName()
                  + "), or convert the float32 model again";
          default -> ex.getMessage() == null ? ex.toString() : ex.getMessage();
        };
    return msg.lines().findFirst().orElse(msg);
  }
}
