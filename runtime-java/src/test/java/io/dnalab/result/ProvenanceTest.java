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
}
