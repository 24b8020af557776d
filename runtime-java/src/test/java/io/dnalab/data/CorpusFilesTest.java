package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.CorpusSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's FASTA file or folder as a pretraining genome: listing, hashing, reading, bad input. */
class CorpusFilesTest {
  @TempDir
  Path dir;

  private Path plain(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    return file;
  }

  private Path gzip(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  private static CorpusSpec corpusOf(CorpusSpec.GenomeSource source) {
    return new CorpusSpec("mine", List.of(source), 0.0, true, 0.2);
  }

  @Test
  void aFolderIsItsFastaFilesInNameOrderReadAsOneGenome() throws IOException {
    String first = CorpusTest.genome(1, 2, 250_000);
    String second = CorpusTest.genome(2, 1, 300_000);
    plain("genome/b.fa", second);
    gzip("genome/a.fasta.gz", first);
    plain("genome/README.txt", "not a genome");
    Path together = plain("together.fa", first + second);

    List<Path> files = CorpusFiles.fastaFiles(dir.resolve("genome"));
    assertThat(files).extracting(file -> file.getFileName().toString())
        .containsExactly("a.fasta.gz", "b.fa");
    CorpusSpec.GenomeSource folder = CorpusSpec.GenomeSource.file(dir.resolve("genome"), 1);
    assertThat(folder.id()).isEqualTo("genome");
    Corpus fromFolder = Corpus.loadFiles(corpusOf(folder), Map.of("genome", files));
    // the same records in one file, under the same id (which seeds the held-out blocks)
    Corpus fromOneFile = Corpus.load(corpusOf(new CorpusSpec.GenomeSource("genome", 1,
        together)), Map.of("genome", together));
    assertThat(fromFolder.splitBases()).containsExactly(fromOneFile.splitBases());
    assertThat(fromFolder.splitBases()[0] + fromFolder.splitBases()[1]).isEqualTo(800_000);
    assertThat(fromFolder.readReport().get(0).records()).isEqualTo(3);
    for (long step = 0; step < 3; step++) {
      assertThat(Arrays.deepEquals(fromFolder.trainingWindows(7, step, 8, 512),
          fromOneFile.trainingWindows(7, step, 8, 512))).isTrue();
    }
  }

  @Test
  void aFileGoesByItsNameWithoutExtensions() {
    assertThat(CorpusSpec.GenomeSource.file(Path.of("/data/hg38.fa.gz"), 1).id())
        .isEqualTo("hg38");
    assertThat(CorpusSpec.GenomeSource.file(Path.of("x.FASTA"), 1).id()).isEqualTo("x");
    assertThat(CorpusSpec.GenomeSource.file(Path.of("/data/reads.txt"), 1).id())
        .isEqualTo("reads.txt");
  }

  @Test
  void theHashIsOfTheContentWhereverTheFileIsAndHoweverItIsCompressed() throws IOException {
    String text = CorpusTest.genome(3, 1, 10_000);
    Sha256Cache cache = new Sha256Cache(dir.resolve("store/checksums.json"));
    String sha = CorpusFiles.sha256(plain("a/x.fa", text), cache);
    assertThat(CorpusFiles.sha256(gzip("b/y.fa.gz", text), cache)).isEqualTo(sha);
    assertThat(sha).isEqualTo(DataFiles.sha256OfContent(dir.resolve("a/x.fa")));
    assertThat(CorpusFiles.sha256(plain("c/x.fa", text + "ACGT\n"), cache)).isNotEqualTo(sha);
    // a folder: of its files' content, not of the folder's place
    plain("f1/one.fa", text);
    plain("f1/two.fa", CorpusTest.genome(4, 1, 8_000));
    plain("f2/one.fa", text);
    plain("f2/two.fa", CorpusTest.genome(4, 1, 8_000));
    assertThat(CorpusFiles.sha256(dir.resolve("f1"), cache))
        .isEqualTo(CorpusFiles.sha256(dir.resolve("f2"), cache))
        .isNotEqualTo(sha);
  }

  @Test
  void aHashIsCachedByPathSizeAndModificationTimeAndAChangedFileIsHashedAgain()
      throws IOException {
    Path file = plain("x.fa", ">a\nACGTACGT\n");
    Path cacheFile = dir.resolve("store/checksums.json");
    String first = CorpusFiles.sha256(file, new Sha256Cache(cacheFile));
    assertThat(cacheFile).exists();
    FileTime stamp = Files.getLastModifiedTime(file);

    // Same size and modification time: the cached digest, the file is not read again (shown by
    // an edit that keeps both: the stale digest comes back).
    Files.writeString(file, ">a\nTTTTACGT\n");
    Files.setLastModifiedTime(file, stamp);
    assertThat(CorpusFiles.sha256(file, new Sha256Cache(cacheFile))).isEqualTo(first);

    // A new modification time: hashed again.
    Files.setLastModifiedTime(file, FileTime.fromMillis(stamp.toMillis() + 5_000));
    String edited = CorpusFiles.sha256(file, new Sha256Cache(cacheFile));
    assertThat(edited).isNotEqualTo(first)
        .isEqualTo(DataFiles.sha256OfContent(file));

    // A new size: hashed again.
    Files.writeString(file, ">a\nTTTTACGTA\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(stamp.toMillis() + 5_000));
    assertThat(CorpusFiles.sha256(file, new Sha256Cache(cacheFile)))
        .isNotEqualTo(edited).isEqualTo(DataFiles.sha256OfContent(file));
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nowhere/hg38.fa.gz");
    assertThatThrownBy(() -> CorpusFiles.fastaFiles(missing))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file or folder");
  }

  @Test
  void aFolderWithoutFastaFilesIsNamedWithWhatItHolds() throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> CorpusFiles.fastaFiles(dir.resolve("empty")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(dir.resolve("empty").toString())
        .hasMessageContaining("no FASTA file").hasMessageContaining("it is empty");
    plain("notes/readme.md", "hello");
    assertThatThrownBy(() -> CorpusFiles.fastaFiles(dir.resolve("notes")))
        .hasMessageContaining("no FASTA file").hasMessageContaining("[readme.md]");
  }

  @Test
  void aTruncatedGzipIsNamedWhenHashedAndWhenRead() throws IOException {
    Path whole = gzip("t.fa.gz", CorpusTest.genome(5, 1, 200_000));
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = dir.resolve("cut.fa.gz");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> CorpusFiles.sha256(truncated, new Sha256Cache(null)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(truncated.toString()).hasMessageContaining("truncated");
    CorpusSpec.GenomeSource source = CorpusSpec.GenomeSource.file(truncated, 1);
    assertThatThrownBy(() -> Corpus.loadFiles(corpusOf(source), Map.of("cut",
        List.of(truncated))))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(truncated.toString()).hasMessageContaining("truncated");
  }

  @Test
  void aFileWithoutFastaRecordsIsNamedWithItsLine() throws IOException {
    Path empty = plain("empty.fa", "");
    CorpusSpec.GenomeSource source = CorpusSpec.GenomeSource.file(empty, 1);
    assertThatThrownBy(() -> Corpus.loadFiles(corpusOf(source), Map.of("empty",
        List.of(empty))))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(empty.toString()).hasMessageContaining("holds no FASTA records");
    Path headersOnly = plain("headers.fa", ">a\n>b\n");
    assertThatThrownBy(() -> Corpus.loadFiles(corpusOf(CorpusSpec.GenomeSource.file(
        headersOnly, 1)), Map.of("headers", List.of(headersOnly))))
        .hasMessageContaining(headersOnly.toString()).hasMessageContaining("holds no bases");
    Path text = plain("notes.fa", "just some words\nACGT\n");
    assertThatThrownBy(() -> Corpus.loadFiles(corpusOf(CorpusSpec.GenomeSource.file(text, 1)),
        Map.of("notes", List.of(text))))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(text + ":1")
        .hasMessageContaining("expected a FASTA header line");
  }

  @Test
  void twoGenomesOfOneIdAreRefused() {
    assertThatThrownBy(() -> new CorpusSpec("twice", List.of(
        CorpusSpec.GenomeSource.file(Path.of("/a/x.fa"), 1),
        CorpusSpec.GenomeSource.file(Path.of("/b/x.fa.gz"), 1)), 0, true, 0.1))
        .hasMessageContaining("\"x\" appears twice");
  }
}
