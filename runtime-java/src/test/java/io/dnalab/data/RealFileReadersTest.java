package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every reader on real files from DNALAB_DATA; expected figures were counted independently
 * (zcat + Python) from the same files.
 */
class RealFileReadersTest {

  @Test
  void csvReadsEveryGueFileWithTheReadmeSizes() {
    ReadResult tf1 = CsvSequenceReader.readAll(TestData.root().resolve("gue/tf_1/train.csv.gz"),
        ReadOptions.strict().withNumClasses(2));
    assertThat(tf1.records()).hasSize(30_672);
    assertThat(tf1.summary().minLength()).isEqualTo(101);
    assertThat(tf1.summary().maxLength()).isEqualTo(101);
    assertThat(tf1.summary().skipped()).isZero();

    ReadResult splice = CsvSequenceReader.readAll(
        TestData.root().resolve("gue/splice_reconstructed/test.csv.gz"),
        ReadOptions.strict().withNumClasses(3));
    assertThat(splice.records()).hasSize(4_562);
    assertThat(splice.summary().maxLabel()).isEqualTo(2);

    ReadResult emp = CsvSequenceReader.readAll(
        TestData.root().resolve("gue/EMP_H3K14ac/dev.csv.gz"),
        ReadOptions.strict().withLengthRule(LengthRule.range(1, 500)));
    assertThat(emp.records()).hasSize(3_305);
    assertThat(emp.summary().minLength()).isEqualTo(290);
  }

  @Test
  void fastaSingleAndMultiRecordGzip() {
    FastaReader.Summary pylori = FastaReader.read(
        TestData.genome("bacteria/H.Pylori_G27.fasta.gz"), BasePolicy.STRICT, r -> { });
    assertThat(pylori.records()).isEqualTo(1);
    assertThat(pylori.bases()).isEqualTo(1_652_982);

    List<Integer> lengths = new ArrayList<>();
    FastaReader.Summary ustilago = FastaReader.read(TestData.genome("ustilago_maydis.fa.gz"),
        BasePolicy.STRICT, r -> lengths.add(r.sequence().length()));
    assertThat(ustilago.records()).isEqualTo(36);
    assertThat(ustilago.bases()).isEqualTo(19_702_792);
    assertThat(lengths.stream().mapToLong(Integer::longValue).sum()).isEqualTo(19_702_792);
  }

  @Test
  void fastaSoftMaskedBasesAreUpperCasedAndCounted() {
    List<FastaRecord> records = new ArrayList<>();
    FastaReader.Summary chr2r = FastaReader.read(TestData.genome("drosophila_dm_chr2R.fa.gz"),
        BasePolicy.STRICT, records::add);
    assertThat(chr2r.bases()).isEqualTo(21_146_708);
    assertThat(chr2r.softMaskedBases()).isEqualTo(2_224_455);
    String sequence = records.get(0).sequence();
    assertThat(sequence.chars().filter(Character::isLowerCase).count()).isZero();
  }

  @Test
  void genBankLeptospiraContigsFeaturesAndStrands() {
    List<AnnotatedContig> contigs = GenBankReader.readAll(
        TestData.genome("leptospira_kirschneri_H1_annotated.gbk.gz"));
    assertThat(contigs).hasSize(75);
    assertThat(contigs.stream().mapToLong(AnnotatedContig::length).sum()).isEqualTo(4_594_734);
    assertThat(contigs.stream().flatMap(c -> c.features().stream())
        .filter(f -> f.type().equals("CDS")).count()).isEqualTo(4_162);

    // The first record, NZ_AHMY02000075 (683 bp), starts with a CDS "<1..227".
    AnnotatedContig first = contigs.get(0);
    assertThat(first.id()).isEqualTo("NZ_AHMY02000075");
    assertThat(first.length()).isEqualTo(683);
    Feature partialCds = first.features().stream().filter(f -> f.type().equals("CDS"))
        .findFirst().orElseThrow();
    assertThat(partialCds.parts()).containsExactly(new Interval(0, 227));
    assertThat(partialCds.partial()).isTrue();
    assertThat(partialCds.qualifiers()).containsKey("locus_tag").doesNotContainKey("translation");

    // "complement(1574..2548)" is on the reverse strand, 0-based [1573, 2548).
    Feature reverse = contigs.stream().flatMap(c -> c.features().stream())
        .filter(f -> f.type().equals("CDS") && f.start() == 1573 && f.end() == 2548)
        .findFirst().orElseThrow();
    assertThat(reverse.strand()).isEqualTo(Strand.REVERSE);
    assertThat(reverse.partial()).isFalse();
  }

  @Test
  void genBankJoinedCdsOfDrosophila() {
    List<AnnotatedContig> loci = GenBankReader.readAll(
        TestData.genome("drosophila_chr2R_586genes.gb.gz"));
    assertThat(loci).hasSize(586);
    assertThat(loci.stream().mapToLong(AnnotatedContig::length).sum()).isEqualTo(3_281_194);
    // chr2R_23932-26830: CDS join(1001..1387,1563..1839,1892..1899), soft-masked lower case.
    AnnotatedContig locus = loci.get(0);
    assertThat(locus.id()).isEqualTo("chr2R_23932-26830");
    Feature cds = locus.features().stream().filter(f -> f.type().equals("CDS")).findFirst()
        .orElseThrow();
    assertThat(cds.parts()).containsExactly(new Interval(1000, 1387), new Interval(1562, 1839),
        new Interval(1891, 1899));
    assertThat(cds.qualifiers()).containsEntry("gene", "38");
    assertThat(locus.sequence()).startsWith("ATTTTTAAAGTGCACATATT");
  }

  @Test
  void gff3WithEmbeddedFasta() {
    List<AnnotatedContig> contigs = new ArrayList<>();
    Gff3Reader.Summary summary = Gff3Reader.read(
        TestData.genome("prokka_bacterium_annotated_with_fasta.gff.gz"), contigs::add);
    assertThat(summary.contigs()).isEqualTo(226);
    assertThat(summary.bases()).isEqualTo(4_930_819);
    assertThat(summary.contigsWithoutFeatures()).isEqualTo(226 - 126);
    assertThat(contigs.stream().flatMap(c -> c.features().stream())
        .filter(f -> f.type().equals("CDS")).count()).isEqualTo(4_611);
    // BAC_00001 CDS 326..1240 on '-'.
    Feature first = contigs.get(0).features().get(0);
    assertThat(first.type()).isEqualTo("CDS");
    assertThat(first.parts()).containsExactly(new Interval(325, 1240));
    assertThat(first.strand()).isEqualTo(Strand.REVERSE);
    assertThat(first.qualifiers()).containsEntry("product",
        "HTH-type transcriptional regulator DmlR");
  }
}
