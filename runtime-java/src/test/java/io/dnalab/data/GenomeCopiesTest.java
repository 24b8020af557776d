package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog genomes found in a user's own folder of downloads ({@code DNALAB_GENOMES}). */
class GenomeCopiesTest {
  private static final String URL = "https://example.org/releases/tiny_chr1.fa.gz";
  private static final String CONTENT = ">chr1\nACGTACGTACGTNNNNACGT\n";

  @TempDir
  Path dir;

  /** A one-genome catalog whose sha256 is of {@link #CONTENT}. */
  private static Catalog catalog() {
    String sha = java.util.HexFormat.of().formatHex(DataFiles.sha256Digest().digest(
        CONTENT.getBytes(StandardCharsets.US_ASCII)));
    String json = """
        {"formatVersion": 1, "benchmarks": {}, "tasks": [],
         "genomes": [{"id": "tiny", "aliases": ["tiny_chr1"], "file": "genomes/tiny_chr1.fa",
                      "organism": "Tinyus exemplaris", "sha256": "%s", "url": "%s"}]}
        """.formatted(sha, URL);
    return Catalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private DatasetCatalog.Builder builder() {
    return DatasetCatalog.builder().catalog(catalog()).cacheDir(dir.resolve("cache"));
  }

  @Test
  void aCopyInTheGenomesFolderIsFoundByItsFileNameAndComesFirst() throws IOException {
    Path mine = Files.createDirectories(dir.resolve("my-downloads")).resolve("tiny_chr1.fa");
    Files.writeString(mine, CONTENT);
    Path data = Files.createDirectories(dir.resolve("data/genomes")).resolve("tiny_chr1.fa");
    Files.writeString(data, CONTENT);
    DatasetCatalog catalog = builder().genomesDir(dir.resolve("my-downloads"))
        .dataDir(dir.resolve("data")).build();
    assertThat(catalog.genome("tiny_chr1").path()).isEqualTo(mine);
    assertThat(builder().dataDir(dir.resolve("data")).build().genome("tiny").path())
        .isEqualTo(data);
  }

  @Test
  void aMissingGenomeSaysWhereToGetItAndTheExactPathToPutItAt() {
    DatasetCatalog catalog = builder().genomesDir(dir.resolve("my-downloads")).build();
    assertThatThrownBy(() -> catalog.genome("tiny"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("Get tiny (Tinyus exemplaris) from " + URL)
        .hasMessageContaining("put it at " + dir.resolve("my-downloads/tiny_chr1.fa"))
        .hasMessageContaining("looked at [" + dir.resolve("my-downloads/tiny_chr1.fa") + ", "
            + dir.resolve("cache/genomes/tiny_chr1.fa") + "]");
    // without a genomes folder: put it in the cache, or set DNALAB_GENOMES
    assertThatThrownBy(() -> builder().build().genome("tiny"))
        .hasMessageContaining("put it at " + dir.resolve("cache/genomes/tiny_chr1.fa"))
        .hasMessageContaining("set DNALAB_GENOMES to the folder holding tiny_chr1.fa");
  }

  @Test
  void aCopyWithAnotherSha256IsRefusedWithBothHashes() throws IOException {
    Path mine = Files.createDirectories(dir.resolve("my-downloads")).resolve("tiny_chr1.fa");
    Files.writeString(mine, ">chr1 another release\n" + CONTENT.substring(6));
    String actual = DataFiles.sha256OfBytes(mine);
    DatasetCatalog catalog = builder().genomesDir(dir.resolve("my-downloads")).build();
    assertThatThrownBy(() -> catalog.genome("tiny"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(mine.toString())
        .hasMessageContaining("has sha256 " + actual)
        .hasMessageContaining("the catalog expects " + catalog.catalog().genome("tiny")
            .orElseThrow().sha256())
        .hasMessageContaining("genomes(file(");
  }

  @Test
  void everyGenomeOfTheShippedCatalogNamesAPublicSource() {
    DatasetCatalog catalog = DatasetCatalog.builder().cacheDir(dir).build();
    assertThat(catalog.catalog().genomes()).isNotEmpty().allSatisfy(genome -> {
      assertThat(genome.url()).as(genome.id()).startsWith("https://");
      assertThat(genome.sha256()).as(genome.id()).hasSize(64);
    });
  }
}
