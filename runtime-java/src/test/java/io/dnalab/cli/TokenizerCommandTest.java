package io.dnalab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.tokenize.HfTokenizerJson;
import io.dnalab.tokenize.TokenIdsFile;
import io.dnalab.tokenize.Tokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenizerCommandTest {
  private static int run(StringWriter out, String... args) {
    CommandLine cli = DnalabCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    return cli.execute(args);
  }

  @Test
  void trainThenEncodeWritesIdsTheTokenizerGives(@TempDir Path dir) throws Exception {
    Path fa = dir.resolve("c.fa");
    Files.writeString(fa, ">r1 first\nACGTACGTTTGACCA\nACGTAAC\n>r2\nggggccccNNACGT\n>empty\n");
    Path tok = dir.resolve("tok.json");
    StringWriter log = new StringWriter();
    assertThat(run(log, "tokenizer", "train", "--type", "bpe", "--vocab", "20", "--out", tok.toString(), fa.toString()))
        .as(log.toString()).isZero();
    Path ids = dir.resolve("ids.bin");
    StringWriter out = new StringWriter();
    assertThat(run(out, "tokenizer", "encode", "--tokenizer", tok.toString(), "--out", ids.toString(),
        "--add-special-tokens", "--stats", fa.toString())).as(out.toString()).isZero();
    assertThat(out.toString()).contains("encoded 3 records, 36 bases").contains("bases per token:");
    Tokenizer t = HfTokenizerJson.load(tok);
    List<TokenIdsFile.Record> records = TokenIdsFile.read(ids);
    assertThat(records).extracting(TokenIdsFile.Record::name).containsExactly("r1", "r2", "empty");
    assertThat(records.get(0).ids()).containsExactly(t.encode("ACGTACGTTTGACCAACGTAAC").ids());
    assertThat(records.get(1).ids()).containsExactly(t.encode("GGGGCCCCNNACGT").ids());
    assertThat(records.get(2).ids()).containsExactly(t.encode("").ids());
  }

  @Test
  void kmerTrainNeedsNoCorpusAndBadTypeIsRejected(@TempDir Path dir) {
    Path tok = dir.resolve("k.json");
    StringWriter log = new StringWriter();
    assertThat(run(log, "tokenizer", "train", "--type", "kmer", "--k", "4", "--overlapping", "--out", tok.toString())).isZero();
    assertThat(HfTokenizerJson.load(tok).vocabSize()).isEqualTo(5 + 256);
    StringWriter err = new StringWriter();
    assertThat(run(err, "tokenizer", "train", "--type", "wordpiece", "--out", tok.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--type must be bpe, kmer or nucleotide, got wordpiece");
  }
}
