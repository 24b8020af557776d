package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dnalab.spec.TaskSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download path, against an in-process HTTP server and file:// URLs (no network here). */
class DownloadTest {
  private static final String TRAIN = "sequence,label\nACGT,0\nTTTT,1\nGGGG,0\nCCCC,1\n";
  private static final String DEV = "sequence,label\nACGA,0\nTTTA,1\n";
  private static final String TEST = "sequence,label\nACGC,1\nTTTC,0\n";

  @TempDir Path temp;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(byte[] body) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/GUE.zip", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/GUE.zip";
  }

  private static byte[] zip(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private Catalog catalog(String url, String archiveSha256, String devSha256) throws Exception {
    Map<String, Catalog.Split> splits = new LinkedHashMap<>();
    splits.put("train", new Catalog.Split("train.csv", 4L, sha256(TRAIN), "GUE/toy/t/train.csv",
        null));
    splits.put("dev", new Catalog.Split("dev.csv", 2L, devSha256, "GUE/toy/t/dev.csv", null));
    splits.put("test", new Catalog.Split("test.csv", 2L, sha256(TEST), "GUE/toy/t/test.csv",
        null));
    Catalog.Task task = new Catalog.Task("gue", "toy", null, 2, null,
        new Catalog.Length(4, 4), splits, "csv", null, null);
    Catalog.Benchmark gue = new Catalog.Benchmark("GUE", "test", null, null, null,
        new Catalog.Download(url, "zip", archiveSha256, null), null);
    return new Catalog(1, Map.of("gue", gue), List.of(task));
  }

  private DatasetCatalog datasets(Catalog catalog) {
    return DatasetCatalog.builder().catalog(catalog).cacheDir(temp.resolve("cache")).build();
  }

  @Test
  void downloadsTheArchiveOnceVerifiesEveryFileAndLoadsFromTheCache() throws Exception {
    byte[] archive = zip(Map.of("GUE/toy/t/train.csv", TRAIN, "GUE/toy/t/dev.csv", DEV,
        "GUE/toy/t/test.csv", TEST, "GUE/other/x.csv", "unrelated"));
    String url = serve(archive);
    String archiveSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(archive));
    DatasetCatalog datasets = datasets(catalog(url, archiveSha, sha256(DEV)));

    SequenceTask task = datasets.load(new TaskSpec.Gue("toy"));

    assertThat(task.train()).hasSize(4);
    assertThat(task.dev()).hasSize(2);
    assertThat(task.test()).containsExactly(new LabeledSequence("ACGC", 1),
        new LabeledSequence("TTTC", 0));
    assertThat(requests.get()).isEqualTo(1);
    assertThat(temp.resolve("cache/gue/toy/train.csv")).hasContent(TRAIN.strip());
    assertThat(temp.resolve("cache/gue/other")).doesNotExist();
    try (var files = Files.list(temp.resolve("cache"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("gue", "downloads");
    }
    datasets.load(new TaskSpec.Gue("toy"));
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void anHtmlPageInsteadOfTheArchiveIsRejectedAndNotKept() throws Exception {
    String url = serve("<html>Google Drive can't scan this file for viruses</html>"
        .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> datasets(catalog(url, null, sha256(DEV)))
        .load(new TaskSpec.Gue("toy")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(temp.resolve("cache/downloads/gue.zip") + ": the download from " + url
            + " is not a zip archive (it starts with \"<htm\"; file hosts answer large downloads"
            + " with an HTML confirmation page); download it in a browser and unpack the task's"
            + " files into the cache or DNALAB_DATA folder");
    assertThat(temp.resolve("cache/downloads/gue.zip")).doesNotExist();
  }

  @Test
  void archiveChecksumMismatchKeepsNothing() throws Exception {
    byte[] archive = zip(Map.of("GUE/toy/t/train.csv", TRAIN));
    String url = serve(archive);
    String wrong = "0".repeat(64);

    assertThatThrownBy(() -> datasets(catalog(url, wrong, sha256(DEV)))
        .load(new TaskSpec.Gue("toy")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("download from " + url + " has sha256 ")
        .hasMessageEndingWith("but the catalog expects " + wrong + "; the file was not kept");
    try (var files = Files.walk(temp.resolve("cache"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void extractedFileWithWrongContentIsRejectedAndDeleted() throws Exception {
    String tamperedDev = "sequence,label\nACGA,1\nTTTA,1\n";
    byte[] archive = zip(Map.of("GUE/toy/t/train.csv", TRAIN, "GUE/toy/t/dev.csv", tamperedDev,
        "GUE/toy/t/test.csv", TEST));
    String url = serve(archive);

    assertThatThrownBy(() -> datasets(catalog(url, null, sha256(DEV)))
        .load(new TaskSpec.Gue("toy")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("dev.csv: downloaded content has sha256 " + sha256(tamperedDev))
        .hasMessageEndingWith("but the catalog expects " + sha256(DEV)
            + "; the file was not kept");
    assertThat(temp.resolve("cache/gue/toy/dev.csv")).doesNotExist();
  }

  @Test
  void fileWithoutAKnownChecksumIsNotDownloaded() throws Exception {
    byte[] archive = zip(Map.of("GUE/toy/t/train.csv", TRAIN, "GUE/toy/t/dev.csv", DEV,
        "GUE/toy/t/test.csv", TEST));
    String url = serve(archive);

    assertThatThrownBy(() -> datasets(catalog(url, null, null)).load(new TaskSpec.Gue("toy")))
        .hasMessageStartingWith("gue/toy: split 'dev' not found: no dev.csv or dev.csv.gz in ")
        .hasMessageContaining("; not downloaded: the catalog knows no sha256 for dev.csv, so"
            + " dnalab will not download it unverified");
    assertThat(temp.resolve("cache/gue/toy/dev.csv")).doesNotExist();
  }

  @Test
  void unreachableSourceIsReportedWithWhereToPutTheFile() throws Exception {
    // A port nobody listens on: the connection is refused.
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/GUE.zip";
    assertThatThrownBy(() -> datasets(catalog(url, null, sha256(DEV)))
        .load(new TaskSpec.Gue("toy")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("gue/toy: split 'train' not found: no train.csv or train.csv.gz"
            + " in " + temp.resolve("cache/gue/toy") + " (DNALAB_DATA is not set). Put the file"
            + " in one of those folders")
        .hasMessageContaining("; not downloaded: cannot download " + url);
  }

  @Test
  void singleFileDownloadFromFileUrl() throws Exception {
    Path source = TestData.write(temp.resolve("mirror/test.csv"), TEST);
    Path target = temp.resolve("cache/x/test.csv");

    new Downloader().fetch(source.toUri(), target, sha256(TEST));
    assertThat(target).hasContent(TEST.strip());

    assertThatThrownBy(() -> new Downloader().fetch(source.toUri(),
        temp.resolve("cache/x/other.csv"), sha256(DEV)))
        .hasMessageContaining("has sha256 " + sha256(TEST));
    assertThat(temp.resolve("cache/x/other.csv")).doesNotExist();
    try (var files = Files.list(temp.resolve("cache/x"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("test.csv");
    }
  }

  @Test
  void archiveEntriesThatEscapeTheFolderAreRejectedBeforeAnythingIsWritten() throws Exception {
    Path archive = temp.resolve("evil.zip");
    Files.write(archive, zip(new LinkedHashMap<>(Map.of("../escaped.csv", "x"))));
    Path destination = temp.resolve("cache/extract");

    assertThatThrownBy(() -> ArchiveExtractor.extract(archive, "zip", destination, n -> true))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(archive + ": archive entry '../escaped.csv' would be written outside the"
            + " extraction folder " + destination.toAbsolutePath() + "; refusing to extract");
    assertThat(temp.resolve("cache/escaped.csv")).doesNotExist();

    Files.write(archive, zip(Map.of("/etc/absolute.csv", "x")));
    assertThatThrownBy(() -> ArchiveExtractor.extract(archive, "zip", destination, n -> true))
        .hasMessageContaining("archive entry '/etc/absolute.csv' would be written outside");

    Files.write(archive, zip(Map.of("ok/../../../sneaky.csv", "x")));
    assertThatThrownBy(() -> ArchiveExtractor.extract(archive, "zip", destination, n -> true))
        .hasMessageContaining("archive entry 'ok/../../../sneaky.csv' would be written outside");
    assertThat(temp.resolve("sneaky.csv")).doesNotExist();
  }

  @Test
  void tarGzEntriesThatEscapeAreRejectedToo() throws Exception {
    Path archive = temp.resolve("evil.tar.gz");
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(archive)))) {
      byte[] body = "x".getBytes(StandardCharsets.UTF_8);
      var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("../../up.csv");
      entry.setSize(body.length);
      tar.putArchiveEntry(entry);
      tar.write(body);
      tar.closeArchiveEntry();
    }
    assertThatThrownBy(() -> ArchiveExtractor.extract(archive, "tar.gz", temp.resolve("out"),
        n -> true))
        .hasMessageContaining("archive entry '../../up.csv' would be written outside");

    Path links = temp.resolve("links.tar.gz");
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(links)))) {
      var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("data/train.csv",
          org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
      entry.setLinkName("/etc/passwd");
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    }
    assertThatThrownBy(() -> ArchiveExtractor.extract(links, "tar.gz", temp.resolve("out2"),
        n -> true))
        .hasMessage(links + ": archive entry data/train.csv is a link; links are not extracted");
    assertThat(temp.resolve("out2/data/train.csv")).doesNotExist();
  }
}
