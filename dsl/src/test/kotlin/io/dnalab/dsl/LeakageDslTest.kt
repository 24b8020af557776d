package io.dnalab.dsl

import io.dnalab.spec.CorpusSpec
import io.dnalab.spec.SpecJson
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

class LeakageDslTest {
    @Test
    fun `a corpus reports leakage by default and excludes it when asked`() {
        assertThat(genomes("human_GRCh37_chr20").leakage()).isEqualTo(CorpusSpec.Leakage.REPORT)
        val excluding = genomes("human_GRCh37_chr20", leakage = CorpusSpec.Leakage.EXCLUDE)
        assertThat(excluding.leakage()).isEqualTo(CorpusSpec.Leakage.EXCLUDE)
        // only EXCLUDE reaches the JSON (and so the stage key)
        assertThat(SpecJson.canonical(excluding)).contains("\"leakage\":\"EXCLUDE\"")
        assertThat(SpecJson.canonical(genomes("human_GRCh37_chr20"))).doesNotContain("leakage")
    }
}
