package io.dnalab.plots

import io.dnalab.data.PublishedResult
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

class FigureExportTest {
    private val figure = PublishedCharts.mccByTask(PublishedResult.gue())

    @Test
    fun `svg is standalone and carries the data`() {
        val svg = FigureExport.svg(figure, 500.0, 300.0)
        assertThat(svg).startsWith("<svg").endsWith("</svg>")
        assertThat(svg).contains("width=\"500.0\"").contains("height=\"300.0\"")
        assertThat(svg).contains("prom_core_all").contains("DNABERT-2, published test MCC")
    }

    @Test
    fun `png is written at the requested scale`(@TempDir dir: Path) {
        val png = FigureExport.savePng(figure, dir.resolve("out/chart.png"), 320.0, 200.0, scale = 2.0)
        val image = ImageIO.read(png.toFile())
        assertThat(image.width).isEqualTo(640)
        assertThat(image.height).isEqualTo(400)
        assertThat(Files.size(png)).isGreaterThan(1000)
    }

    @Test
    fun `an unknown model is named with the known ones`() {
        val error = assertThrows<IllegalArgumentException> { PublishedCharts.mccByTask(PublishedResult.gue(), "GPT") }
        assertThat(error).hasMessageContaining("no published results for model 'GPT'").hasMessageContaining("DNABERT-2")
    }
}
