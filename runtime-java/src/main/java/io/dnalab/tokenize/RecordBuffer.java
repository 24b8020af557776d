package io.dnalab.tokenize;

import io.dnalab.data.FastaReader;
import java.util.Arrays;
import java.util.function.Consumer;

/** Collects the bases of one FASTA record at a time (records are encoded whole). */
final class RecordBuffer {
  /** The bases of a finished record: {@code data[0, length)}; valid during the callback only. */
  record Bases(String name, byte[] data, int length) {}

  private byte[] data = new byte[1 << 16];
  private int length;
  private String name;

  FastaReader.Handler handler(Consumer<Bases> onRecord) {
    return new FastaReader.Handler() {
      @Override
      public void startRecord(String recordName) {
        name = recordName;
        length = 0;
      }

      @Override
      public void bases(byte[] buffer, int from, int to) {
        int n = to - from;
        if (length + n > data.length) {
          data = Arrays.copyOf(data, Math.max(length + n, data.length * 2));
        }
        System.arraycopy(buffer, from, data, length, n);
        length += n;
      }

      @Override
      public void endRecord() {
        onRecord.accept(new Bases(name, data, length));
      }
    };
  }
}
