package io.dnalab.dsl.jupyter

import org.assertj.core.api.Assertions.assertThat
import org.jetbrains.kotlinx.jupyter.EvalRequestData
import org.jetbrains.kotlinx.jupyter.ReplForJupyter
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import org.jetbrains.kotlinx.jupyter.exceptions.ReplCompilerException
import org.jetbrains.kotlinx.jupyter.libraries.EmptyResolutionInfoProvider
import org.jetbrains.kotlinx.jupyter.repl.creating.createRepl
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.io.File

/**
 * Evaluates notebook cells in the kernel's own embedded REPL (kernel 0.11.0-398, the version the
 * reports run on), with the integration loaded exactly as a notebook loads it: by scanning the
 * classpath for `META-INF/kotlin-jupyter-libraries/libraries.json`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebookReplTest {
    private lateinit var repl: ReplForJupyter
    private var cellId = 0

    private val cache = java.nio.file.Files.createTempDirectory("dnalab-repl-cache")

    @BeforeAll
    fun startRepl() {
        // Plans and runs go to a store of this test's own, not the user's.
        System.setProperty("dnalab.cache", cache.toString())
        val classpath = System.getProperty("java.class.path").split(File.pathSeparator).map(::File)
        repl = createRepl(EmptyResolutionInfoProvider, classpath, isEmbedded = true)
        repl.eval {
            repl.librariesScanner.addLibrariesFromClassLoader(repl.currentClassLoader, this, repl.notebook)
        }
    }

    @AfterAll
    fun stopRepl() {
        repl.evalOnShutdown()
        System.clearProperty("dnalab.cache")
    }

    private fun eval(code: String) = repl.evalEx(EvalRequestData(code, ++cellId, true, false))

    private fun html(code: String): String {
        val rendered = eval(code).renderedValue
        assertThat(rendered).isInstanceOf(MimeTypedResult::class.java)
        return (rendered as MimeTypedResult)["text/html"]!!
    }

    @Test
    fun `an experiment renders as its plan, a static table`() {
        val page = html(
            """
            experimentSpec("plan") {
                tasks(gue("tf_0"), gue("prom_core_all"))
                model(convNova(), cnnBaseline())
                seeds(3)
            }
            """.trimIndent(),
        )
        assertThat(page).contains("<table class=\"dnalab-table\">")
        assertThat(page).contains("<caption>plan: 4 cells × 3 seeds = 12 runs</caption>")
        assertThat(page).contains("<td>gue/prom_core_all</td><td>nucleotide</td><td>cnn-baseline</td><td>none</td><td>3</td>")
        // The plan against the store: nothing done yet, an estimate from the cost model.
        assertThat(page).containsPattern("<caption>plan: about (\\d+h \\d+m|\\d+m \\d+s) left</caption>")
        assertThat(page).contains("<tr><td>fine-tuning + evaluation</td><td>12</td><td>0</td><td>12</td></tr>")
        assertThat(page).doesNotContain("<script")
    }

    @Test
    fun `a finished experiment re-runs from the store and its plan says so`() {
        val spec = """
            val spec = experimentSpec("repl-grid") {
                task(builtin("leptospira_coding_vs_intergenic"))
                model(convNova(width = 8, kernelSize = 3, blocks = 1, dilationBase = 2, headFactor = 1))
                finetune { epochs(1) }
                seeds(2)
            }
        """.trimIndent()
        eval(spec)
        val first = System.nanoTime()
        eval("val first = spec.run()")
        val firstSeconds = (System.nanoTime() - first) / 1e9
        val second = System.nanoTime()
        val again = html("spec.run()")
        val secondSeconds = (System.nanoTime() - second) / 1e9
        println(String.format(java.util.Locale.ROOT, "repl-grid: first run %.1f s, re-run %.2f s", firstSeconds, secondSeconds))
        assertThat(again).contains("<caption>repl-grid: test metrics, mean ± sd over seeds; 95% CI (t for 2 seeds)</caption>")
        assertThat(secondSeconds).describedAs("re-run %.1f s, first run %.1f s", secondSeconds, firstSeconds)
            .isLessThan(firstSeconds / 3)
        assertThat(html("spec")).contains("<caption>plan: every stage done, nothing to run</caption>")
            .contains("<tr><td>fine-tuning + evaluation</td><td>2</td><td>2</td><td>0</td></tr>")
        val stored = html("resultStore().experiment(\"repl-grid\").toDataFrame()")
        assertThat(stored).contains("<th>experiment</th><th>task</th>").contains("<th>git_commit</th>")
        assertThat(Regex("<td>repl-grid</td>").findAll(stored).count()).isEqualTo(2)
    }

    @Test
    fun `a Lets-Plot figure renders as inline svg`() {
        val page = html(
            """import org.jetbrains.letsPlot.*
               import org.jetbrains.letsPlot.geom.*
               letsPlot(mapOf("model" to listOf("ConvNova", "CNN"), "mcc" to listOf(0.7, 0.6))) +
               geomBar(stat = Stat.identity) { x = "model"; y = "mcc" }""",
        )
        assertThat(page).startsWith("<div class=\"dnalab-plot\"><svg")
        assertThat(page).contains("ConvNova").contains("</svg></div>")
        assertThat(page).doesNotContain("<script")
    }

    @Test
    fun `a data frame renders as a static table, not the script-driven default`() {
        val page = html("import org.jetbrains.kotlinx.dataframe.api.*\n" + """dataFrameOf("task", "mcc")("tf_0", 0.71234, "tf_1", 0.5)""")
        assertThat(page).contains("<th>task</th><th>mcc</th>")
        assertThat(page).contains("<td>tf_0</td><td>0.7123</td>")
        assertThat(page).doesNotContain("<script")
    }

    @Test
    fun `dataset statistics of the built-in task render as tables with the leakage report`() {
        val page = html("""datasetStatistics(builtin("leptospira_coding_vs_intergenic"))""")
        assertThat(page).contains("<caption>leptospira_coding_vs_intergenic: 2 classes</caption>")
        assertThat(page).contains("<td>train</td><td>5448</td><td>2724 / 2724</td>")
        assertThat(page).contains("<caption>leakage between splits (near duplicate: ≥ 50% of 31-mers shared)</caption>")
        assertThat(page).doesNotContain("<script")
    }

    @Test
    fun `tokenizer statistics render as a summary table`() {
        val page = html("""tokenizerStatistics("6-mer", buildTokenizer(kmer(6, overlapping = false)), listOf("ACGTACGTACGTA"))""")
        // 13 bases: two 6-mers and one leftover base, as the Nucleotide Transformer tokenizes.
        assertThat(page).contains("<td>6-mer</td><td>1</td><td>13</td><td>3</td><td>4.333</td>")
    }

    @Test
    fun `results render with intervals, pretraining gains as a table and plot(results) as inline svg`() {
        eval(
            """
            import io.dnalab.result.RunResult
            fun run(pretrain: String, seed: Long, mcc: Double) = RunResult(
                "gain", "gue/tf_0", "bpe-512", "bert-l2-h64", pretrain, seed,
                io.dnalab.result.MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4),
                io.dnalab.result.MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4),
                100_000, 1800.0, 3, 300, 2, "PyTorch 2.5.1 cpu()")
            val results = Results(
                experimentSpec("gain") { task(gue("tf_0")); model(convNova()); seeds(3) },
                listOf(run("none", 1, 0.60), run("none", 2, 0.61), run("none", 3, 0.62),
                       run("mlm", 1, 0.65), run("mlm", 2, 0.67), run("mlm", 3, 0.66)))
            """.trimIndent(),
        )
        val summary = html("results")
        assertThat(summary).contains("<caption>gain: test metrics, mean ± sd over seeds; 95% CI (t for 3 seeds)</caption>")
        // 3 runs × 1800 s = 1.5 CPU-hours per cell.
        assertThat(summary).contains("<th>95% CI test mcc</th>").contains("<td>1.500 CPU-hour</td>")

        val gains = html("results.pretrainingGain()")
        assertThat(gains).contains("<td>0.050 ± 0.010</td><td>[0.025, 0.075] t</td><td>[0.040, 0.060]</td><td>—</td><td>0.0131</td><td>better</td>")
        assertThat(gains).doesNotContain("<script")

        val chart = html("plot(results).gainVsCost()")
        assertThat(chart).startsWith("<div class=\"dnalab-plot\"><svg").contains("pretraining cost (CPU-hours, log scale)")
        assertThat(html("plot(results)")).contains("test MCC: mean and 95% CI (t for 3 seeds)")
        assertThat(html("plot(results).pretrainingGain()")).contains("pretraining gain in test MCC, paired over seeds")
        assertThat(html("plot(results).perSeed()")).contains("test MCC per seed")
        assertThat(html("plot(results.pretrainingGain())")).contains("pretraining gain in test MCC, paired over seeds")
        // The chart members Results had before plot(results) existed fail to compile, naming the replacement.
        assertThat(compileErrors("results.plot()")).contains("use plot(results).perSeed(metric)")
    }

    /** The compiler's messages for [code], which must fail to compile. */
    private fun compileErrors(code: String): String {
        val error = assertThrows<ReplCompilerException> { eval(code) }
        return error.message.orEmpty()
    }

    @Test
    fun `a pretraining regime of the wrong type does not compile`() {
        val grid = """experimentSpec { task(gue("tf_0")); model(convNova()); pretrain(%s) }"""
        assertThat(compileErrors(grid.format("\"mlm\""))).contains("pretrain")
        assertThat(compileErrors(grid.format("convNova()"))).contains("pretrain")
        assertThat(compileErrors(grid.format("mlm(steps = 10), false"))).contains("pretrain")
        // The accepted forms compile and state the same grid.
        eval("val typed = " + grid.format("none, mlm(steps = 10)"))
        eval("val older = " + grid.format("false, mlm(steps = 10)"))
        assertThat(eval("typed == older").rawValue).isEqualTo(true)
    }

    @Test
    fun `a predicate names spec types without an import`() {
        val page = html(
            """
            experimentSpec("predicate") {
                task(gue("tf_0"))
                model(convNova(), unet(), bert(pooling = ModelSpec.Pooling.MEAN))
                excludeIf { it.model() is ModelSpec.UNet }
            }
            """.trimIndent(),
        )
        assertThat(page).contains("<caption>predicate: 2 cells × 1 seeds = 2 runs</caption>")
    }

    @Test
    fun `learning curves and token embeddings render as inline svg`() {
        val curves = html(
            """import io.dnalab.metrics.LearningCurvePoint
               import io.dnalab.plots.UnigramBaseline
               learningCurves(listOf(LearningCurvePoint("mlm", 0, "validation", 1.6, 0.25),
                                     LearningCurvePoint("mlm", 100, "validation", 1.2, 0.40)),
                              UnigramBaseline(1.38, 0.27))""",
        )
        assertThat(curves).contains("learning curves").contains("unigram baseline")
        val embeddings = html(
            """tokenEmbeddings(arrayOf(floatArrayOf(1f, 0f), floatArrayOf(0f, 1f), floatArrayOf(1f, 1f)), listOf("GC", "AT", "ACGT"))""",
        )
        assertThat(embeddings).contains("token embeddings: PCA projection, coloured by GC fraction (3 tokens)")
    }

    @Test
    fun `a mistake in a spec fails the cell with a message naming the field`() {
        val error = assertThrows<Exception> { eval("""experimentSpec { tasks(gue("tf_0")); model(convNova()); seeds(0) }""") }
        assertThat(generateSequence<Throwable>(error) { it.cause }.map { it.message }.toList())
            .anySatisfy { assertThat(it).contains("seeds: must be between 1 and 1000, got 0") }
    }
}
