package dev.jnmt.decoder.config;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Strict JSON reading for model files: duplicate keys and trailing garbage are errors; one-line messages. */
public final class JsonFiles {

  private JsonFiles() {}

  /**
   * Reads a JSON file whose top level must be an object.
   *
   * @throws CheckpointException "path: ..." when the file is missing, unreadable or not a JSON object
   */
  public static Json readObject(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(path + ": no such file");
    } catch (IOException e) {
      throw new CheckpointException(path + ": cannot read: " + oneLine(e.toString()), e);
    }
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      throw new CheckpointException(path + ": bad JSON: the top level is not an object");
    }
    Json root;
    try {
      root = Json.parse(bytes);
    } catch (Json.ParseException e) {
      throw new CheckpointException(
          path + ": bad JSON at line " + e.line() + ", column " + e.column() + ": " + oneLine(e.reason()), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(path + ": bad JSON: the top level is not an object");
    }
    return root;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /** Typed access to optional keys of one JSON object, with errors that name the file and key. */
  record Fields(Path path, Json node) {

    boolean has(String key) {
      Json v = node.get(key);
      return v != null && !v.isNull();
    }

    int integer(String key, int defaultValue) {
      if (!has(key)) {
        return defaultValue;
      }
      Json v = node.get(key);
      if (v.isIntegralNumber() && !v.canConvertToInt()) {
        throw bad(key, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, v);
      }
      if (!v.isIntegralNumber()) {
        throw bad(key, "an integer", v);
      }
      return v.intValue();
    }

    double number(String key, double defaultValue) {
      if (!has(key)) {
        return defaultValue;
      }
      Json v = node.get(key);
      if (!v.isNumber()) {
        throw bad(key, "a number", v);
      }
      return v.doubleValue();
    }

    boolean bool(String key, boolean defaultValue) {
      if (!has(key)) {
        return defaultValue;
      }
      Json v = node.get(key);
      if (!v.isBoolean()) {
        throw bad(key, "true or false", v);
      }
      return v.booleanValue();
    }

    String string(String key, String defaultValue) {
      if (!has(key)) {
        return defaultValue;
      }
      Json v = node.get(key);
      if (!v.isTextual()) {
        throw bad(key, "a string", v);
      }
      return v.textValue();
    }

    CheckpointException bad(String key, String expected, Json got) {
      String shown = got.toString();
      if (shown.length() > 60) {
        shown = shown.substring(0, 57) + "...";
      }
      return new CheckpointException(path + ": " + key + " must be " + expected + ", got " + shown);
    }

    CheckpointException error(String message) {
      return new CheckpointException(path + ": " + message);
    }
  }
}
