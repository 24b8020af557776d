package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input policy, case by case: each error names file, line, column and value. */
class BadInputTest {
  @TempDir Path temp;

  private Path csv(String content) {
    return TestData.write(temp.resolve("data.csv"), content);
  }

  private ReadResult read(Path file) {
    return CsvSequenceReader.readAll(file, ReadOptions.strict().withNumClasses(2));
  }

  private void assertCsvError(String content, String expected) {
    Path file = csv(content);
    assertThatThrownBy(() -> read(file)).isInstanceOf(DataFormatException.class)
        .hasMessage(file + expected);
  }

  // ---- CSV / TSV ----

  @Test
  void invalidBase() {
    assertCsvError("sequence,label\nACGT,0\nACXT,1\n",
        ":3:3: invalid base 'X' at base 3 (only A, C, G, T, N) (value \"ACXT\")");
  }

  @Test
  void iupacCode() {
    assertCsvError("sequence,label\nACGT,0\nACGY,1\n", ":3:4: IUPAC ambiguity code 'Y' at base 4"
        + " is not accepted (only A, C, G, T, N); replace it with N or drop the record"
        + " (value \"ACGY\")");
  }

  @Test
  void emptySequence() {
    assertCsvError("sequence,label\n,1\n", ":2:1: empty sequence (value \"\")");
  }

  @Test
  void missingLabel() {
    assertCsvError("sequence,label\nACGT,\n", ":2:6: missing label (value \"\")");
    assertCsvError("sequence,label\nACGT\n",
        ":2:1: expected 2 columns as in the header, found 1 (value \"ACGT\")");
  }

  @Test
  void nonIntegerLabel() {
    assertCsvError("sequence,label\nACGT,1.0\n", ":2:6: label is not an integer (labels are"
        + " class indices 0, 1, ...) (value \"1.0\")");
    assertCsvError("sequence,label\nACGT,positive\n", ":2:6: label is not an integer (labels"
        + " are class indices 0, 1, ...) (value \"positive\")");
  }

  @Test
  void labelOutsideDeclaredClasses() {
    assertCsvError("sequence,label\nACGT,2\n", ":2:6: label 2 is outside the declared classes,"
        + " expected 0..1 (2 declared classes) (value \"2\")");
    assertCsvError("sequence,label\nACGT,-1\n", ":2:6: label -1 is outside the declared"
        + " classes, expected 0..1 (2 declared classes) (value \"-1\")");
  }

  @Test
  void mixedLengths() {
    assertCsvError("sequence,label\nACGT,0\nACGTA,1\n", ":3:1: sequence length 5 differs from 4"
        + " (the length at line 2); mixed lengths need an explicit length range"
        + " (value \"ACGTA\")");
    Path file = csv("sequence,label\nACGT,0\nACGTAAAAAA,1\n");
    assertThatThrownBy(() -> CsvSequenceReader.readAll(file,
        ReadOptions.strict().withLengthRule(LengthRule.range(2, 8))))
        .hasMessage(file + ":3:1: sequence length 10 is outside the declared length 2..8 bp"
            + " (value \"ACGTAAAAAA\")");
  }

  @Test
  void crlfAndBomAreReadTransparently() {
    ReadResult unix = read(csv("sequence,label\nACGT,0\nTTGA,1\n"));
    ReadResult windows = read(csv("\uFEFFsequence,label\r\nACGT,0\r\nTTGA,1\r\n"));
    assertThat(windows.records()).isEqualTo(unix.records());
    assertThat(windows.records()).containsExactly(new LabeledSequence("ACGT", 0),
        new LabeledSequence("TTGA", 1));
  }

  @Test
  void idsComeFromAnIdColumnElseFromCoordinateColumnsElseThereAreNone() {
    assertThat(read(csv("sequence,label,id\nACGT,0,seq_a\nTTGA,1,\"b,2\"\n")).records())
        .containsExactly(new LabeledSequence("ACGT", 0, "seq_a"),
            new LabeledSequence("TTGA", 1, "b,2"));
    assertThat(read(csv("sequence,label,contig,start,end,strand\nACGT,0,chr1,10,14,-\n"))
        .records()).containsExactly(new LabeledSequence("ACGT", 0, "chr1:10-14(-)"));
    assertThat(read(csv("sequence,label,contig,start,end\nACGT,0,chr1,10,14\n")).records())
        .containsExactly(new LabeledSequence("ACGT", 0, "chr1:10-14"));
    assertThat(read(csv("sequence,label\nACGT,0\n")).records())
        .extracting(LabeledSequence::id).containsExactly((String) null);
  }

  @Test
  void bomInTheMiddleIsAnError() {
    assertCsvError("sequence,label\n\uFEFFACGT,0\n",
        ":2:1: invalid base U+FEFF at base 1 (only A, C, G, T, N) (value \"\\uFEFFACGT\")");
  }

  @Test
  void truncatedGzip() throws Exception {
    StringBuilder content = new StringBuilder("sequence,label\n");
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 5000; i++) {
      for (int j = 0; j < 100; j++) {
        content.append("ACGT".charAt(random.nextInt(4)));
      }
      content.append(',').append(i % 2).append('\n');
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(content.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = bytes.toByteArray();
    Path file = temp.resolve("cut.csv.gz");
    Files.write(file, Arrays.copyOf(all, all.length / 2));

    assertThatThrownBy(() -> read(file)).isInstanceOf(DataFormatException.class)
        .message().matches(java.util.regex.Pattern.quote(file.toString())
            + ":(\\d+): gzip stream ends early after line \\d+: the file is truncated; copy or"
            + " download it again");
  }

  @Test
  void duplicatedHeader() {
    assertCsvError("sequence,label\nACGT,0\nsequence,label\nTTTT,1\n", ":3:1: header repeated"
        + " (first at line 1); were two files concatenated? (value \"sequence,label\")");
    assertCsvError("sequence,label,sequence\nACGT,0,A\n",
        ":1:16: header names the sequence column twice (value \"sequence\")");
  }

  @Test
  void missingHeader() {
    assertCsvError("ACGTACGTAC,0\n", ":1:1: header has no 'sequence' and 'label' columns; the"
        + " first line looks like data: add a header line such as sequence,label"
        + " (value \"ACGTACGTAC,0\")");
    assertCsvError("seq_id,text\nx,ACGT\n", ":1:1: header has no 'sequence' and 'label'"
        + " columns; columns found: [seq_id, text] (value \"seq_id,text\")");
  }

  @Test
  void blankLineBetweenRecords() {
    assertCsvError("sequence,label\nACGT,0\n\nTTTT,1\n",
        ":3:1: blank line between records (value \"\")");
    assertThat(read(csv("sequence,label\nACGT,0\nTTTT,1\n\n\n")).records()).hasSize(2);
  }

  @Test
  void labelFirstExtraColumnsQuotesAndTabs() {
    Path tsv = TestData.write(temp.resolve("x.tsv"),
        "id\tlabel\tsequence\tnote\nr1\t1\tacgt\t\"a, \"\"quoted\"\"\"\nr2\t0\tNNGT\t\n");
    ReadResult result = read(tsv);
    // an id column gives the records their ids
    assertThat(result.records()).containsExactly(new LabeledSequence("ACGT", 1, "r1"),
        new LabeledSequence("NNGT", 0, "r2"));

    Path csv = csv("label,note,sequence\n0,\"x,y\",ACGT\n1,\"z\",ACRT\n");
    assertThatThrownBy(() -> read(csv))
        .hasMessage(csv + ":3:9: IUPAC ambiguity code 'R' at base 3 is not accepted (only A, C,"
            + " G, T, N); replace it with N or drop the record (value \"ACRT\")");
  }

  @Test
  void skippingIsExplicitCountedAndReported() {
    Path file = csv("sequence,label\nACGT,0\nACRT,1\nTTTT,7\nGGGG,1\n,0\nCCCC,1\n");
    ReadResult result = CsvSequenceReader.readAll(file,
        ReadOptions.strict().withNumClasses(2).withSkipBadRecords(true));
    assertThat(result.records()).extracting(LabeledSequence::sequence)
        .containsExactly("ACGT", "GGGG", "CCCC");
    assertThat(result.summary().skipped()).isEqualTo(3);
    assertThat(result.summary().skippedExamples()).containsExactly(
        file + ":3:3: IUPAC ambiguity code 'R' at base 3 is not accepted (only A, C, G, T, N);"
            + " replace it with N or drop the record (value \"ACRT\")",
        file + ":4:6: label 7 is outside the declared classes, expected 0..1 (2 declared"
            + " classes) (value \"7\")",
        file + ":6:1: empty sequence (value \"\")");
  }

  @Test
  void corruptGzipAndInvalidUtf8() throws Exception {
    StringBuilder content = new StringBuilder("sequence,label\n");
    for (int i = 0; i < 2000; i++) {
      content.append("ACGTTGCA".repeat(10)).append(',').append(i % 2).append('\n');
    }
    Path gz = TestData.writeGzip(temp.resolve("corrupt.csv.gz"), content.toString());
    byte[] bytes = Files.readAllBytes(gz);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 16; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    Files.write(gz, bytes);
    assertThatThrownBy(() -> read(gz)).isInstanceOf(DataFormatException.class)
        .message().matches(java.util.regex.Pattern.quote(gz.toString())
            + ":\\d+: corrupt gzip data after line \\d+ \\(.*\\); copy or download it again");

    Path latin1 = temp.resolve("latin1.csv");
    Files.write(latin1, "sequence,label\nACGT,0\nACGT\u00e9,1\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> read(latin1))
        .hasMessage(latin1 + ":3:5: not valid UTF-8 text (is the file in another encoding?)"
            + " (value \"ACGT\uFFFD,1\")");
  }

  @Test
  void truncatedGzipIsFatalEvenWhenSkipping() throws Exception {
    Path file = TestData.writeGzip(temp.resolve("t.csv.gz"), "sequence,label\nACGT,0\n".repeat(1));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 6));
    assertThatThrownBy(() -> CsvSequenceReader.readAll(file,
        ReadOptions.strict().withSkipBadRecords(true)))
        .hasMessageContaining("gzip stream ends early");
  }

  // ---- FASTA ----

  @Test
  void fastaErrors() {
    Path noHeader = TestData.write(temp.resolve("a.fa"), "ACGT\n>x\nACGT\n");
    assertThatThrownBy(() -> FastaReader.readAll(noHeader, BasePolicy.STRICT)).hasMessage(noHeader
        + ":1:1: expected a FASTA header line starting with '>' (value \"ACGT\")");

    Path emptyId = TestData.write(temp.resolve("b.fa"), ">x\nACGT\n> desc only\nAC\n");
    assertThatThrownBy(() -> FastaReader.readAll(emptyId, BasePolicy.STRICT))
        .hasMessage(emptyId + ":3:1: FASTA header has no sequence id (value \"> desc only\")");

    Path duplicate = TestData.write(temp.resolve("c.fa"), ">x\nACGT\n>y\nAC\n>x second\nGG\n");
    assertThatThrownBy(() -> FastaReader.readAll(duplicate, BasePolicy.STRICT)).hasMessage(duplicate
        + ":5:2: duplicate FASTA record id (first at line 1) (value \"x\")");

    Path noSequence = TestData.write(temp.resolve("d.fa"), ">x\n>y\nACGT\n");
    assertThatThrownBy(() -> FastaReader.readAll(noSequence, BasePolicy.STRICT))
        .hasMessage(noSequence + ":1:1: FASTA record has no sequence (value \"x\")");

    Path iupac = TestData.write(temp.resolve("e.fa"), ">x\nACGTACGT\nACGTAcgtMA\n");
    assertThatThrownBy(() -> FastaReader.readAll(iupac, BasePolicy.STRICT)).hasMessage(iupac
        + ":3:9: IUPAC ambiguity code 'M' at base 17 is not accepted (only A, C, G, T, N);"
        + " replace it with N or drop the record (value \"ACGTAcgtMA\")");
  }

  @Test
  void fastaMultiRecordSoftMaskCrlfBomGzip() {
    Path file = TestData.writeGzip(temp.resolve("g.fa.gz"),
        "\uFEFF>chr1 first one\r\nACGTac\r\ngtNN\r\n\r\n>chr2\r\nTTTT\r\n");
    var records = FastaReader.readAll(file, BasePolicy.STRICT);
    assertThat(records).extracting(FastaRecord::id).containsExactly("chr1", "chr2");
    assertThat(records.get(0).description()).isEqualTo("first one");
    assertThat(records.get(0).sequence()).isEqualTo("ACGTACGTNN");
    assertThat(records.get(0).softMaskedBases()).isEqualTo(4);
    assertThat(records.get(1).line()).isEqualTo(5);
  }

  // ---- GenBank ----

  private static final String GENBANK = """
      LOCUS       ctg1                      20 bp    DNA     linear
      FEATURES             Location/Qualifiers
           source          1..20
           CDS             complement(join(2..4,8..10))
                           /locus_tag="T1"
                           /product="a long
                           product name"
           gene            <1..>20
      ORIGIN
              1 acgtacgtac gtacgtacgt
      //
      """;

  @Test
  void genBankParsesAndReportsErrors() {
    Path ok = TestData.write(temp.resolve("ok.gb"), GENBANK);
    AnnotatedContig contig = GenBankReader.readAll(ok).get(0);
    Feature cds = contig.features().get(1);
    assertThat(cds.parts()).containsExactly(new Interval(1, 4), new Interval(7, 10));
    assertThat(cds.strand()).isEqualTo(Strand.REVERSE);
    assertThat(cds.qualifiers()).containsEntry("product", "a long product name");
    assertThat(contig.features().get(2).partial()).isTrue();

    Path notLocus = TestData.write(temp.resolve("a.gb"), "ID   x\n" + GENBANK);
    assertThatThrownBy(() -> GenBankReader.readAll(notLocus)).hasMessage(notLocus
        + ":1:1: expected a GenBank record starting with LOCUS (value \"ID   x\")");

    Path badLocation = TestData.write(temp.resolve("b.gb"),
        GENBANK.replace("complement(join(2..4,8..10))", "join(2..4,8..10"));
    assertThatThrownBy(() -> GenBankReader.readAll(badLocation)).hasMessage(badLocation
        + ":5:22: feature location is not closed (unbalanced parentheses)"
        + " (value \"join(2..4,8..10\")");

    Path reversed = TestData.write(temp.resolve("c.gb"), GENBANK.replace("8..10", "10..8"));
    assertThatThrownBy(() -> GenBankReader.readAll(reversed)).hasMessage(reversed
        + ":4:22: cannot parse feature location: range 10..8 must satisfy 1 <= start <= end"
        + " (value \"complement(join(2..4,10..8))\")");

    Path remote = TestData.write(temp.resolve("r.gb"), GENBANK.replace("<1..>20", "J00194.1:1..5"));
    assertThatThrownBy(() -> GenBankReader.readAll(remote)).hasMessage(remote
        + ":8:22: cannot parse feature location: remote locations (J00194.1:1..5) are not"
        + " supported (value \"J00194.1:1..5\")");

    Path beyond = TestData.write(temp.resolve("d.gb"), GENBANK.replace("8..10", "8..25"));
    assertThatThrownBy(() -> GenBankReader.readAll(beyond)).hasMessage(beyond
        + ":4:22: feature CDS ends at 25, beyond the 20 bp sequence of ctg1"
        + " (value \"complement(join(2..4,8..25))\")");

    Path wrongLength = TestData.write(temp.resolve("e.gb"), GENBANK.replace("20 bp", "21 bp"));
    assertThatThrownBy(() -> GenBankReader.readAll(wrongLength)).hasMessage(wrongLength
        + ":1:1: LOCUS says 21 bp but the ORIGIN section has 20 bases (value \"ctg1\")");

    Path badBase = TestData.write(temp.resolve("f.gb"), GENBANK.replace("gtacgtacgt", "gtacgtrcgt"));
    assertThatThrownBy(() -> GenBankReader.readAll(badBase)).hasMessage(badBase
        + ":10:28: IUPAC ambiguity code 'r' at base 17 is not accepted (only A, C, G, T, N);"
        + " replace it with N or drop the record (value \"        1 acgtacgtac gtacgtrcgt\")");

    Path truncated = TestData.write(temp.resolve("g.gb"), GENBANK.replace("//\n", ""));
    assertThatThrownBy(() -> GenBankReader.readAll(truncated)).hasMessage(truncated
        + ":10: record 'ctg1' (line 1) ends without its // line: the file is truncated");
  }

  // ---- GFF3 ----

  private static final String GFF = "##gff-version 3\n"
      + "ctg1\tsrc\tCDS\t2\t10\t.\t-\t0\tID=c1;product=x%3By\n"
      + "ctg1\tsrc\tCDS\t14\t18\t.\t-\t0\tID=c1\n"
      + "##FASTA\n>ctg1\nACGTACGTACGTACGTACGT\n>ctg2\nAAAA\n";

  @Test
  void gff3ParsesAndReportsErrors() {
    Path ok = TestData.write(temp.resolve("ok.gff3"), GFF);
    var contigs = new java.util.ArrayList<AnnotatedContig>();
    Gff3Reader.Summary summary = Gff3Reader.read(ok, contigs::add);
    assertThat(summary.contigs()).isEqualTo(2);
    Feature cds = contigs.get(0).features().get(0);
    assertThat(cds.parts()).containsExactly(new Interval(1, 10), new Interval(13, 18));
    assertThat(cds.qualifiers()).containsEntry("product", "x;y");

    assertGffError(GFF.replace("##gff-version 3\n", ""), ":1:1: expected '##gff-version 3' as"
        + " the first line of a GFF3 file (value \"ctg1\\tsrc\\tCDS\\t2\\t10\\t.\\t-\\t0\\tID=c1;"
        + "product=x%3By\")");
    assertGffError(GFF.replace("\t0\tID=c1\n", "\tID=c1\n"), ":3:1: expected 9 tab-separated"
        + " columns, found 8 (value \"ctg1\\tsrc\\tCDS\\t14\\t18\\t.\\t-\\tID=c1\")");
    assertGffError(GFF.replace("\t14\t", "\t1e3\t"),
        ":3:14: start is not an integer (value \"1e3\")");
    assertGffError(GFF.replace("\t14\t18\t", "\t14\t12\t"),
        ":3:17: end is before start (14) (value \"12\")");
    assertGffError(GFF.replace("\t.\t-\t0\tID=c1\n", "\t.\t*\t0\tID=c1\n"),
        ":3:22: strand must be +, -, . or ? (value \"*\")");
    assertGffError(GFF.replace(">ctg1\n", ">other\n"), ":2:1: features refer to sequence"
        + " 'ctg1', which the FASTA part does not contain (value \"ctg1\")");
    assertGffError(GFF.replace("\t18\t", "\t28\t"), ":2:5: feature CDS ends at 28, beyond the"
        + " 20 bp sequence ctg1 (value \"28\")");
    Path noFasta = TestData.write(temp.resolve("n.gff3"), GFF.substring(0, GFF.indexOf("##FASTA")));
    assertThatThrownBy(() -> Gff3Reader.read(noFasta, c -> { })).hasMessage(noFasta
        + ": GFF3 file has no ##FASTA section; give the sequences as a separate FASTA file");
    Path fasta = TestData.write(temp.resolve("n.fa"), ">ctg1\nACGTACGTACGTACGTACGT\n");
    assertThat(Gff3Reader.read(noFasta, fasta, c -> { }).features()).isEqualTo(1);
  }

  private void assertGffError(String content, String expected) {
    Path file = TestData.write(temp.resolve("bad.gff3"), content);
    assertThatThrownBy(() -> Gff3Reader.read(file, c -> { }))
        .isInstanceOf(DataFormatException.class).hasMessage(file + expected);
  }
}
