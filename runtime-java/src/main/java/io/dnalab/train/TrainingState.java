package io.dnalab.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The binary file an unfinished training run (pretraining or fine-tuning) resumes from:
 *
 * <pre>
 * magic   8 bytes  "DNALABTS"
 * version int      {@link #VERSION}
 * kind    UTF      "pretrain" | "finetune"
 * key     UTF      the run's key: a state is only ever read back by the run that wrote it
 * body             written and read by the trainer (parameters, optimizer moments, counters…)
 * </pre>
 *
 * Big-endian ({@link DataOutputStream}). A state is written whole to a temporary file in the same
 * folder and renamed into place, so a process killed at any moment leaves the previous state or
 * the new one, never half of one. Reading fails with one message naming the file when it is not a
 * training state, of another version, kind or run, truncated, or followed by stray bytes.
 */
public final class TrainingState {
  /** Version of the layout above and of the bodies the trainers write. */
  public static final int VERSION = 2;
  private static final byte[] MAGIC = "DNALABTS".getBytes(StandardCharsets.US_ASCII);

  private TrainingState() {}

  /** Writes the body of a state. */
  @FunctionalInterface
  public interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads the body of a state. */
  @FunctionalInterface
  public interface BodyReader {
    void read(DataInputStream in) throws IOException;
  }

  /** Writes header and body to {@code file} atomically (temporary file, then rename). */
  public static void write(Path file, String kind, String key, Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes))) {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(kind);
        out.writeUTF(key);
        body.write(out);
      }
      writeAtomically(file, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write training state " + file + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Checks the header of {@code file} against {@code kind} and {@code key}, hands the body to
   * {@code body}, and checks that it read the file to its end.
   *
   * @throws UncheckedIOException naming the file and what is wrong with it
   */
  public static void read(Path file, String kind, String key, BodyReader body) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file)))) {
      byte[] magic = new byte[MAGIC.length];
      int read = in.readNBytes(magic, 0, magic.length);
      if (read < magic.length || !Arrays.equals(magic, MAGIC)) {
        throw new IOException("not a dnalab training state (no \"DNALABTS\" header)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException("training-state version " + version + ", this build reads "
            + VERSION);
      }
      String savedKind = in.readUTF();
      String savedKey = in.readUTF();
      if (!savedKind.equals(kind) || !savedKey.equals(key)) {
        throw new IOException("state of another run (" + savedKind + " " + savedKey
            + "), expected " + kind + " " + key);
      }
      body.read(in);
      if (in.read() != -1) {
        throw new IOException("stray bytes after the state's end");
      }
    } catch (EOFException e) {
      throw new UncheckedIOException(file + ": truncated training state (" + size(file)
          + " bytes); delete it to start the run over", e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot resume from this training state ("
          + e.getMessage() + "); delete it to start the run over", e);
    }
  }

  private static String size(Path file) {
    try {
      return Long.toString(Files.size(file));
    } catch (IOException e) {
      return "?";
    }
  }

  /** Writes a length-prefixed float array. */
  public static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    for (float value : values) {
      out.writeFloat(value);
    }
  }

  /** Reads what {@link #writeFloats} wrote, which must hold {@code expected} values. */
  public static float[] readFloats(DataInputStream in, long expected) throws IOException {
    int length = in.readInt();
    if (length != expected) {
      throw new IOException("expected " + expected + " values, the file holds " + length);
    }
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }

  /** Writes {@code content} to a temporary file next to {@code file}, then renames it. */
  static void writeAtomically(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(),
        ".tmp");
    try {
      Files.write(temporary, content);
      moveIntoPlace(temporary, file);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  static void moveIntoPlace(Path temporary, Path file) throws IOException {
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
