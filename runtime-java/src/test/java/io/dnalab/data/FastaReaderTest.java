package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one FASTA reader under its two named base policies, on the same files. */
class FastaReaderTest {
  @TempDir Path temp;

  /** What the streaming handler received: one string per record, as "id:bases". */
  private static List<String> stream(Path file, BasePolicy policy, FastaReader.Summary[] out) {
    List<String> records = new ArrayList<>();
    StringBuilder bases = new StringBuilder();
    String[] id = {null};
    out[0] = FastaReader.read(file, policy, new FastaReader.Handler() {
      @Override
      public void startRecord(String recordId) {
        id[0] = recordId;
        bases.setLength(0);
      }

      @Override
      public void bases(byte[] buffer, int from, int to) {
        bases.append(new String(buffer, from, to - from, StandardCharsets.ISO_8859_1));
      }

      @Override
      public void endRecord() {
        records.add(id[0] + ":" + bases);
      }
    });
    return records;
  }

  @Test
  void iupacCodesAreNUnderTheCorpusPolicyAndAnErrorUnderStrict() {
    Path file = TestData.write(temp.resolve("iupac.fa"), ">chr1 x\nACGTRY\nnnacgtK\n");
    FastaReader.Summary[] summary = new FastaReader.Summary[1];
    assertThat(stream(file, BasePolicy.LENIENT_CORPUS, summary))
        .containsExactly("chr1:ACGTNNNNACGTN");
    assertThat(summary[0].policy()).isEqualTo(BasePolicy.LENIENT_CORPUS);
    assertThat(summary[0].bases()).isEqualTo(13);
    assertThat(summary[0].ambiguityCodesAsN()).isEqualTo(3); // R, Y, K
    assertThat(summary[0].softMaskedBases()).isEqualTo(6); // nnacgt

    assertThatThrownBy(() -> FastaReader.readAll(file, BasePolicy.STRICT))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ":2:5: IUPAC ambiguity code 'R' at base 5 is not accepted (only A, C,"
            + " G, T, N); replace it with N or drop the record (value \"ACGTRY\")");
  }

  @Test
  void lowerCaseIsUpperCasedAndCountedUnderBothPolicies() {
    Path file = TestData.write(temp.resolve("soft.fa"), ">a\nacgtNNAC\n>b\nggTT\n");
    for (BasePolicy policy : BasePolicy.values()) {
      FastaReader.Summary[] summary = new FastaReader.Summary[1];
      assertThat(stream(file, policy, summary)).as(policy.name())
          .containsExactly("a:ACGTNNAC", "b:GGTT");
      assertThat(summary[0].softMaskedBases()).as(policy.name()).isEqualTo(6);
      assertThat(summary[0].ambiguityCodesAsN()).isZero();
      assertThat(summary[0].records()).isEqualTo(2);
    }
    List<FastaRecord> records = FastaReader.readAll(file, BasePolicy.STRICT);
    assertThat(records).extracting(FastaRecord::softMaskedBases).containsExactly(4L, 2L);
    assertThat(records).extracting(FastaRecord::line).containsExactly(1L, 3L);
  }

  @Test
  void emptyRecordIsCountedForCorporaAndAnErrorUnderStrict() {
    Path file = TestData.write(temp.resolve("empty.fa"), ">gap\n\n>b\nACGT\n>tail\n");
    FastaReader.Summary[] summary = new FastaReader.Summary[1];
    assertThat(stream(file, BasePolicy.LENIENT_CORPUS, summary))
        .containsExactly("gap:", "b:ACGT", "tail:");
    assertThat(summary[0].records()).isEqualTo(3);
    assertThat(summary[0].emptyRecords()).isEqualTo(2);
    assertThatThrownBy(() -> FastaReader.readAll(file, BasePolicy.STRICT))
        .hasMessage(file + ":1:1: FASTA record has no sequence (value \"gap\")");
  }

  @Test
  void crlfCommentsBlankLinesAndAHeaderWithoutNewlineReadAlikeUnderBothPolicies() {
    Path unix = TestData.write(temp.resolve("unix.fa"), ">a one\nACGT\nTT\n>b\nGG\n");
    Path dos = TestData.write(temp.resolve("dos.fa"),
        "\uFEFF>a one\r\n;a comment line\r\nAC GT\r\n\r\nTT\r\n>b\r\nGG");
    for (BasePolicy policy : BasePolicy.values()) {
      FastaReader.Summary[] a = new FastaReader.Summary[1];
      FastaReader.Summary[] b = new FastaReader.Summary[1];
      assertThat(stream(dos, policy, b)).as(policy.name())
          .isEqualTo(stream(unix, policy, a)).containsExactly("a:ACGTTT", "b:GG");
      assertThat(b[0].bases()).isEqualTo(a[0].bases()).isEqualTo(8);
    }
    assertThat(FastaReader.readAll(dos, BasePolicy.STRICT))
        .extracting(FastaRecord::description).containsExactly("one", "");
  }

  @Test
  void gzipIsRecognizedByItsBytesAndGivesTheSameRecordsAndChecksum() throws Exception {
    String text = ">r1\nACGTNacgtn\n>r2\nGATTACA\n";
    Path plain = TestData.write(temp.resolve("p.fa"), text);
    Path gzip = TestData.writeGzip(temp.resolve("compressed.fasta"), text); // no .gz in the name
    FastaReader.Summary plainSummary = FastaReader.read(plain, BasePolicy.STRICT, r -> { });
    FastaReader.Summary gzipSummary = FastaReader.read(gzip, BasePolicy.STRICT, r -> { });
    assertThat(FastaReader.readAll(gzip, BasePolicy.STRICT))
        .isEqualTo(FastaReader.readAll(plain, BasePolicy.STRICT));
    assertThat(gzipSummary.sha256()).isEqualTo(plainSummary.sha256())
        .isEqualTo(DataFiles.sha256OfContent(plain));
    assertThat(gzipSummary.bytesRead()).isEqualTo(Files.size(gzip));
    FastaReader.Summary[] lenient = new FastaReader.Summary[1];
    assertThat(stream(gzip, BasePolicy.LENIENT_CORPUS, lenient))
        .containsExactly("r1:ACGTNACGTN", "r2:GATTACA");
  }

  @Test
  void truncatedGzipIsAnErrorUnderBothPolicies() throws Exception {
    // enough incompressible-ish text that the cut falls inside the deflate stream
    StringBuilder text = new StringBuilder(">r\n");
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int line = 0; line < 2000; line++) {
      for (int i = 0; i < 60; i++) {
        text.append("ACGT".charAt(random.nextInt(4)));
      }
      text.append('\n');
    }
    Path file = TestData.writeGzip(temp.resolve("t.fa.gz"), text.toString());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    for (BasePolicy policy : BasePolicy.values()) {
      assertThatThrownBy(() -> stream(file, policy, new FastaReader.Summary[1]))
          .as(policy.name())
          .isInstanceOf(DataFormatException.class)
          .hasMessageStartingWith(file + ":")
          .hasMessageContaining("gzip stream ends early after line")
          .hasMessageContaining("the file is truncated");
    }
  }

  @Test
  void errorsNameFileLineColumnAndValueUnderBothPolicies() {
    Path dash = TestData.write(temp.resolve("dash.fa"), ">r\nACGT\nAC-T\n");
    assertThatThrownBy(() -> FastaReader.readAll(dash, BasePolicy.STRICT))
        .hasMessage(dash + ":3:3: invalid base '-' at base 7 (only A, C, G, T, N)"
            + " (value \"AC-T\")");
    assertThatThrownBy(() -> stream(dash, BasePolicy.LENIENT_CORPUS, new FastaReader.Summary[1]))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dash + ":3:3: invalid base '-' at base 7 (a corpus holds A, C, G, T, N and"
            + " IUPAC ambiguity codes R Y S W K M B D H V) (value \"AC-T\")");

    // U is no DNA base and no ambiguity code: an error under the corpus policy too
    Path rna = TestData.write(temp.resolve("rna.fa"), ">r\nACGU\n");
    assertThatThrownBy(() -> stream(rna, BasePolicy.LENIENT_CORPUS, new FastaReader.Summary[1]))
        .hasMessageStartingWith(rna + ":2:4: invalid base 'U' at base 4");

    Path noHeader = TestData.write(temp.resolve("nohead.fa"), "\nACGT\n>x\nAC\n");
    for (BasePolicy policy : BasePolicy.values()) {
      assertThatThrownBy(() -> stream(noHeader, policy, new FastaReader.Summary[1]))
          .hasMessage(noHeader
              + ":2:1: expected a FASTA header line starting with '>' (value \"ACGT\")");
    }
  }

  @Test
  void aHeaderInAnotherEncodingIsAnErrorUnderStrict() throws Exception {
    Path latin1 = temp.resolve("latin1.fa");
    Files.write(latin1, ">r caf\u00e9\nACGT\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> FastaReader.readAll(latin1, BasePolicy.STRICT))
        .hasMessage(latin1 + ":1:7: not valid UTF-8 text (is the file in another encoding?)"
            + " (value \">r caf\uFFFD\")");
    FastaReader.Summary[] summary = new FastaReader.Summary[1];
    assertThat(stream(latin1, BasePolicy.LENIENT_CORPUS, summary)).containsExactly("r:ACGT");
  }

  @Test
  void recordChecksAreStrictOnly() {
    Path file = TestData.write(temp.resolve("ids.fa"), ">x\nAC\n>x\nGG\n>  spaced id\nTT\n");
    FastaReader.Summary[] summary = new FastaReader.Summary[1];
    assertThat(stream(file, BasePolicy.LENIENT_CORPUS, summary))
        .containsExactly("x:AC", "x:GG", "spaced:TT");
    assertThatThrownBy(() -> FastaReader.readAll(file, BasePolicy.STRICT))
        .hasMessage(file + ":3:2: duplicate FASTA record id (first at line 1) (value \"x\")");

    Path none = TestData.write(temp.resolve("none.fa"), "\n\n");
    assertThat(stream(none, BasePolicy.LENIENT_CORPUS, summary)).isEmpty();
    assertThat(summary[0].records()).isZero();
    assertThatThrownBy(() -> FastaReader.readAll(none, BasePolicy.STRICT))
        .hasMessage(none + ": no FASTA records");
  }

  @Test
  void longLinesAcrossReadBuffersKeepEveryBase() throws Exception {
    // one 300 kb line: runs of bases cross the reader's 64 KiB buffers
    byte[] line = new byte[300_000];
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int i = 0; i < line.length; i++) {
      line[i] = (byte) "ACGTacgtNR".charAt(random.nextInt(10));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(">long\n".getBytes(StandardCharsets.US_ASCII));
    out.write(line);
    out.write('\n');
    Path file = temp.resolve("long.fa");
    Files.write(file, out.toByteArray());
    String expected = new String(line, StandardCharsets.US_ASCII).toUpperCase()
        .replace('R', 'N');
    FastaReader.Summary[] summary = new FastaReader.Summary[1];
    assertThat(stream(file, BasePolicy.LENIENT_CORPUS, summary))
        .containsExactly("long:" + expected);
    long lower = new String(line, StandardCharsets.US_ASCII).chars()
        .filter(c -> c >= 'a' && c <= 'z').count();
    long ambiguous = new String(line, StandardCharsets.US_ASCII).chars()
        .filter(c -> c == 'R').count();
    assertThat(summary[0].softMaskedBases()).isEqualTo(lower);
    assertThat(summary[0].ambiguityCodesAsN()).isEqualTo(ambiguous);
  }
}
