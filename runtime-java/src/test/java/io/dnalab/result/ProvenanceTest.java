package io.dnalab.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

  @Test
  void theBuildEmbedsItsVersionsAndCommit() {
    Provenance.Build build = Provenance.build();
    // Filled in by Maven's resource filtering from the parent pom's pinned versions.
    assertThat(build.version()).isEqualTo("0.1.0");
    assertThat(build.djlVersion()).isEqualTo("0.32.0");
    assertThat(build.pytorchVersion()).isEqualTo("2.5.1");
    // A build inside git embeds the full commit; a source tarball says so instead.
    assertThat(build.gitCommit()).matches("[0-9a-f]{40}|unknown");
  }

  @Test
  void roundTripsThroughJson() {
    Provenance p = Provenance.of("PyTorch 2.5.1 cpu()", Map.of("gue/tf_0/train", "ab",
        "gue/tf_0/dev", "cd"), Instant.parse("2026-11-21T08:00:00Z"),
        Instant.parse("2026-11-21T08:01:02.5Z"));
    assertThat(Provenance.fromJson(p.toJson())).isEqualTo(p);
    assertThat(p.toJson()).contains("\"javaVersion\":\"17").contains("\"host\":\"")
        .contains("\"dataChecksums\":{\"gue/tf_0/dev\":\"cd\",\"gue/tf_0/train\":\"ab\"}");
  }

  @Test
  void taskLengthsRoundTripAndAreAbsentFromARunRecordedWithoutThem() {
    Provenance without = Provenance.of("cpu()", Map.of(), Instant.parse("2026-11-21T08:00:00Z"),
        Instant.parse("2026-11-21T08:01:00Z"));
    assertThat(without.toJson()).doesNotContain("taskLengths");
    assertThat(Provenance.fromJson(without.toJson()).taskLengths()).isEmpty();

    // 3, 5 and 7 bases: mean 5; an empty split is all zeros
    Map<String, Provenance.SplitLengths> lengths = new java.util.LinkedHashMap<>();
    lengths.put("train", Provenance.SplitLengths.of(java.util.List.of("ACG", "ACGTA",
        "ACGTACG")));
    lengths.put("dev", Provenance.SplitLengths.of(java.util.List.of("AC", "ACG")));
    lengths.put("test", Provenance.SplitLengths.of(java.util.List.of()));
    assertThat(lengths.get("train")).isEqualTo(new Provenance.SplitLengths(3, 3, 7, 5.0));
    assertThat(lengths.get("dev")).isEqualTo(new Provenance.SplitLengths(2, 2, 3, 2.5));
    assertThat(lengths.get("test")).isEqualTo(new Provenance.SplitLengths(0, 0, 0, 0));
    Provenance with = without.withTaskLengths(lengths);
    Provenance back = Provenance.fromJson(with.toJson());
    assertThat(back).isEqualTo(with);
    assertThat(back.taskLengths().keySet()).containsExactly("train", "dev", "test");
    assertThat(with.toJson()).contains(
        "\"taskLengths\":{\"train\":{\"examples\":3,\"min\":3,\"max\":7,\"mean\":5.0}");
  }
}
