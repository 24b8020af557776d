package io.dnalab.tokenize;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ids.bin} file of {@code dnalab tokenizer encode}: token ids of FASTA records.
 * Little-endian throughout:
 *
 * <pre>
 * offset 0   8 bytes  magic "DNLTOK01"
 * offset 8   int32    vocabulary size (ids are in 0 .. size-1)
 * then, once per record, in file order:
 *            int32    n = byte length of the record name
 *            n bytes  record name, UTF-8 (the FASTA header up to the first whitespace)
 *            int64    m = number of token ids
 *            m int32  the ids
 * </pre>
 *
 * In numpy: read the header, then per record {@code np.frombuffer(buf, '<i4', count=m, offset=o)}.
 */
public final class TokenIdsFile {
  public static final String MAGIC = "DNLTOK01";

  private TokenIdsFile() {}

  /** One record read back. */
  public record Record(String name, int[] ids) {}

  /** Streams records into a file. */
  public static final class Writer implements Closeable {
    private final OutputStream out;
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    public Writer(Path path, int vocabSize) {
      try {
        out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(vocabSize);
        out.write(header.array());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
      }
    }

    public void write(String name, IntList ids) {
      byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
      int bytes = 4 + nameBytes.length + 8 + 4 * ids.size();
      if (buffer.capacity() < bytes) {
        buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
      buffer.clear();
      buffer.putInt(nameBytes.length).put(nameBytes).putLong(ids.size());
      int[] a = ids.array();
      for (int i = 0, n = ids.size(); i < n; i++) {
        buffer.putInt(a[i]);
      }
      try {
        out.write(buffer.array(), 0, buffer.position());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Reads a whole file; the vocabulary size is checked against the magic header. */
  public static List<Record> read(Path path) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(path));
        DataInputStream in = new DataInputStream(raw)) {
      byte[] magic = new byte[8];
      in.readFully(magic);
      if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw new IllegalArgumentException(path + ": not a dnalab ids file (magic " + MAGIC + " missing)");
      }
      int vocabSize = Integer.reverseBytes(in.readInt());
      List<Record> records = new ArrayList<>();
      while (true) {
        int nameLength;
        try {
          nameLength = Integer.reverseBytes(in.readInt());
        } catch (EOFException end) {
          return records;
        }
        byte[] name = new byte[nameLength];
        in.readFully(name);
        long m = Long.reverseBytes(in.readLong());
        int[] ids = new int[Math.toIntExact(m)];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = Integer.reverseBytes(in.readInt());
          if (ids[i] < 0 || ids[i] >= vocabSize) {
            throw new IllegalArgumentException(path + ": id " + ids[i] + " outside the vocabulary of " + vocabSize);
          }
        }
        records.add(new Record(new String(name, StandardCharsets.UTF_8), ids));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
