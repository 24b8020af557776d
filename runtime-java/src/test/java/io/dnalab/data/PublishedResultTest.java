package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublishedResultTest {
  @Test
  void dnabert2ScoresMatchThePaper() {
    assertThat(PublishedResult.gue()).hasSize(25);
    assertThat(PublishedResult.dnabert2("prom_core_all")).get()
        .extracting(PublishedResult::mcc).isEqualTo(69.37);
    assertThat(PublishedResult.dnabert2("tf_3")).get()
        .extracting(PublishedResult::source).isEqualTo("Zhou et al., ICLR 2024, Table 4");
    assertThat(PublishedResult.dnabert2("no_such_task")).isEmpty();
  }
}
