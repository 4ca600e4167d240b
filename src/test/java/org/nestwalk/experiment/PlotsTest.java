package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.nestwalk.walk.ModeKind;
import org.w3c.dom.Document;

class PlotsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void withoutFactorsOneRuntimeChart() throws Exception {
        Manifest m = manifest("""
                name: plain
                references: 10000
                warmup: 0
                replications: 3
                modes: [nested, shadow, spec-shadow]
                baseline: nested
                workloads: [random, stream]
                """);
        store(m, 3, c -> c.mode().label().equals("nested") ? 1000 : 900, c -> 0.3);
        List<Path> files = Plots.write(Analysis.of(m, new RowStore(dir)), dir);

        assertEquals(Set.of("runtime-over-nested.png", "runtime-over-nested.svg"), names(files));
        assertEquals(names(files), names(list(dir.resolve("plots"))));
        checkFiles(files);
    }

    @Test
    void factorGivesOneRuntimeChartPerCombinationAndASweep() throws Exception {
        Manifest m = manifest("""
                name: sized
                references: 10000
                warmup: 0
                replications: 3
                modes: [nested, shadow]
                baseline: nested
                workloads: [random, stream]
                factors: {tlb.l2.entries: [256, 1024]}
                """);
        store(m, 3, c -> c.mode().label().equals("nested") ? 1000 : 800,
                c -> 128.0 / Long.parseLong(c.factors().get("tlb.l2.entries")));
        List<Path> files = Plots.write(Analysis.of(m, new RowStore(dir)), dir);

        assertEquals(Set.of("runtime-over-nested-tlb.l2.entries-256.png", "runtime-over-nested-tlb.l2.entries-256.svg",
                "runtime-over-nested-tlb.l2.entries-1024.png", "runtime-over-nested-tlb.l2.entries-1024.svg",
                "translationShare-vs-tlb.l2.entries-random.png", "translationShare-vs-tlb.l2.entries-random.svg",
                "translationShare-vs-tlb.l2.entries-stream.png", "translationShare-vs-tlb.l2.entries-stream.svg"),
                names(files));
        checkFiles(files);
        List<Plots.Figure> figures = Plots.figures(Analysis.of(m, new RowStore(dir)));
        Chart<?, ?> runtime = figure(figures, "runtime-over-nested-tlb.l2.entries-1024");
        assertTrue(runtime.getTitle().contains("tlb.l2.entries=1024"), runtime.getTitle());
        assertEquals(List.of("nested (baseline)", "shadow"), List.copyOf(runtime.getSeriesMap().keySet()));
        CategorySeries shadow = (CategorySeries) runtime.getSeriesMap().get("shadow");
        assertEquals(List.of("random", "stream"), List.copyOf(shadow.getXData()));
        assertEquals(0.8, shadow.getYData().iterator().next().doubleValue(), 1e-9);
        XYSeries sweep = (XYSeries) figure(figures, "translationShare-vs-tlb.l2.entries-random").getSeriesMap().get("nested");
        // 1024 / 256 = 4 spans too little for a log axis: the sizes are plotted as they are.
        assertArrayEquals(new double[] {256, 1024}, sweep.getXData());
    }

    @Test
    void twoFactorsOnALogAxisCurveEachOtherSetting() throws Exception {
        Manifest m = manifest("""
                name: grid
                references: 10000
                warmup: 0
                replications: 2
                modes: [nested, shadow]
                workloads: [{name: "big heap", preset: random}]
                factors: {tlb.l2.entries: [64, 512, 4096], ntlb.entries: [8, 16]}
                """);
        store(m, 2, c -> 1000 + c.mode().ordinal(), c -> 0.1 * c.mode().ordinal());
        // Only the charts: the other tests check the files, and rendering eight more would slow the test down.
        List<Plots.Figure> figures = Plots.figures(Analysis.of(m, new RowStore(dir)));

        assertEquals(List.of("runtime-over-nested-tlb.l2.entries-64-ntlb.entries-8",
                "runtime-over-nested-tlb.l2.entries-64-ntlb.entries-16",
                "runtime-over-nested-tlb.l2.entries-512-ntlb.entries-8",
                "runtime-over-nested-tlb.l2.entries-512-ntlb.entries-16",
                "runtime-over-nested-tlb.l2.entries-4096-ntlb.entries-8",
                "runtime-over-nested-tlb.l2.entries-4096-ntlb.entries-16",
                "translationShare-vs-tlb.l2.entries-big_heap", "translationShare-vs-ntlb.entries-big_heap"),
                figures.stream().map(Plots.Figure::name).toList());
        Chart<?, ?> sweep = figure(figures, "translationShare-vs-tlb.l2.entries-big_heap");
        assertEquals(List.of("nested, ntlb.entries=8", "nested, ntlb.entries=16", "shadow, ntlb.entries=8",
                "shadow, ntlb.entries=16"), List.copyOf(sweep.getSeriesMap().keySet()));
        // 4096 / 64 spans 64 times: log 2 of the sizes, evenly spaced.
        assertArrayEquals(new double[] {6, 9, 12},
                ((XYSeries) sweep.getSeriesMap().get("shadow, ntlb.entries=16")).getXData(), 1e-9);
    }

    @Test
    void missingValuesAreLeftOutWithoutFailing() throws Exception {
        Manifest m = manifest("""
                name: holes
                references: 10000
                warmup: 0
                replications: 2
                modes: [native, nested, shadow]
                baseline: nested
                workloads: [random, stream]
                factors: {tlb.l2.entries: [256, 1024]}
                """);
        RowStore store = new RowStore(dir);
        for (Configuration c : m.configurations()) {
            boolean at1024 = c.factors().get("tlb.l2.entries").equals("1024");
            boolean streamShadow = c.workload().equals("stream") && c.mode() == ModeKind.SHADOW;
            for (int r = 0; r < 2; r++) {
                if (streamShadow && at1024) {
                    store.write(row(m, c, r, RunRecord.FAILED, Map.of()));
                    continue;
                }
                if (streamShadow && r > 0) {
                    continue; // one replication: no interval
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("cycles", 1000.0 + 10 * r + c.mode().ordinal());
                if (c.mode() != ModeKind.NATIVE) { // native leaves the translation share undefined
                    metrics.put("translationShare",
                            c.workload().equals("random") && at1024 ? Double.NaN : 0.2 + 0.01 * r);
                }
                store.write(row(m, c, r, RunRecord.OK, metrics));
            }
        }
        Analysis a = Analysis.of(m, store);
        assertTrue(Double.isNaN(a.configurations().get(0).metrics().get("translationShare").mean()));
        List<Path> files = Plots.write(a, dir);

        assertEquals(Set.of("runtime-over-nested-tlb.l2.entries-256.png", "runtime-over-nested-tlb.l2.entries-256.svg",
                "runtime-over-nested-tlb.l2.entries-1024.png", "runtime-over-nested-tlb.l2.entries-1024.svg",
                "translationShare-vs-tlb.l2.entries-random.png", "translationShare-vs-tlb.l2.entries-random.svg",
                "translationShare-vs-tlb.l2.entries-stream.png", "translationShare-vs-tlb.l2.entries-stream.svg"),
                names(files));
        checkFiles(files);

        List<Plots.Figure> figures = Plots.figures(a);
        // No bar, rather than a bar of 0, for one replication, which cannot be paired into an interval, and for
        // the failed configuration: NaN, which XChart leaves out.
        for (String chart : List.of("runtime-over-nested-tlb.l2.entries-256",
                "runtime-over-nested-tlb.l2.entries-1024")) {
            CategorySeries shadow = (CategorySeries) figure(figures, chart).getSeriesMap().get("shadow");
            List<Double> bars = shadow.getYData().stream().map(Number::doubleValue).toList();
            assertTrue(bars.get(0) > 0 && Double.isNaN(bars.get(1)), chart + " " + bars);
        }
        // Native defines no translation share: no curve; the undefined share at 1024 leaves only the point at 256.
        Chart<?, ?> random = figure(figures, "translationShare-vs-tlb.l2.entries-random");
        assertEquals(Set.of("nested", "shadow"), random.getSeriesMap().keySet());
        assertArrayEquals(new double[] {256}, ((XYSeries) random.getSeriesMap().get("nested")).getXData());
        // One replication: its mean is drawn, with a whisker of length 0; the failed configuration is left out.
        XYSeries single = (XYSeries) figure(figures, "translationShare-vs-tlb.l2.entries-stream").getSeriesMap().get("shadow");
        assertArrayEquals(new double[] {256}, single.getXData());
        assertArrayEquals(new double[] {0.2}, single.getYData(), 1e-9);
        assertArrayEquals(new double[] {0}, single.getExtraValues());
    }

    @Test
    void nothingDefinedMeansNoChartRatherThanAnEmptyOne() throws Exception {
        Manifest m = manifest("""
                name: void
                references: 10000
                warmup: 0
                replications: 2
                modes: [nested]
                workloads: [random]
                factors: {tlb.l2.entries: [256, 1024]}
                """);
        store(m, 2, c -> 1000, c -> Double.NaN);
        assertTrue(Plots.write(Analysis.of(m, new RowStore(dir)), dir).isEmpty());
    }

    /**
     * Issue 17: a mode keeps its colour in every chart (nested was blue in bars and orange in sweeps), its curves for
     * other factor values differ by marker; bars start at 0, and a sweep axis that does not start at 0 says so.
     */
    @Test
    void aModeHasOneColourEverywhereAndANonZeroAxisSaysSo() throws Exception {
        Manifest m = manifest("""
                name: colours
                references: 10000
                warmup: 0
                replications: 3
                modes: [native, nested, shadow]
                baseline: native
                workloads: [random]
                factors: {tlb.l2.entries: [256, 1024], ntlb.entries: [8, 16]}
                """);
        // Runtimes within 0.5 % of each other; translation shares between 0.94 and 0.98.
        store(m, 3, c -> 1000 + c.mode().ordinal(), c -> 0.94 + 0.001 * c.mode().ordinal());
        List<Plots.Figure> figures = Plots.figures(Analysis.of(m, new RowStore(dir)));
        CategoryChart bars = (CategoryChart) figure(figures,
                "runtime-over-native-tlb.l2.entries-256-ntlb.entries-8");
        XYChart sweep = (XYChart) figure(figures, "translationShare-vs-tlb.l2.entries-random");
        for (ModeKind mode : List.of(ModeKind.NESTED, ModeKind.SHADOW)) {
            Color c = Plots.colour(mode);
            assertEquals(c, bars.getSeriesMap().get(mode.label()).getFillColor(), mode + " in bars");
            assertEquals(c, sweep.getSeriesMap().get(mode.label() + ", ntlb.entries=8").getLineColor());
            assertEquals(c, sweep.getSeriesMap().get(mode.label() + ", ntlb.entries=16").getLineColor());
            assertTrue(sweep.getSeriesMap().get(mode.label() + ", ntlb.entries=8").getMarker()
                    != sweep.getSeriesMap().get(mode.label() + ", ntlb.entries=16").getMarker(), "markers differ");
        }
        assertEquals(Plots.colour(ModeKind.NATIVE), bars.getSeriesMap().get("native (baseline)").getFillColor());
        assertEquals(ModeKind.values().length,
                java.util.stream.Stream.of(ModeKind.values()).map(Plots::colour).distinct().count());
        assertEquals(0.0, bars.getStyler().getYAxisMin(), "bars start at 0");
        assertTrue(sweep.getYAxisTitle().contains("; axis from 0.9"), sweep.getYAxisTitle());
        assertTrue(sweep.getYAxisTitle().endsWith(", not 0"), sweep.getYAxisTitle());
        assertTrue(sweep.getStyler().getYAxisMin() > 0.9);
    }

    private static Chart<?, ?> figure(List<Plots.Figure> figures, String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no figure " + name)).chart();
    }

    private static Manifest manifest(String yaml) {
        return Manifest.expand(ExperimentFile.parse(yaml, "t.yaml", "t", false));
    }

    private void store(Manifest m, int replications, ToDoubleFunction<Configuration> cycles,
                       ToDoubleFunction<Configuration> share) {
        RowStore store = new RowStore(dir);
        for (Configuration c : m.configurations()) {
            for (int r = 0; r < replications; r++) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                // A little spread per replication, so the intervals have a width.
                metrics.put("cycles", cycles.applyAsDouble(c) * (1 + 0.01 * r));
                metrics.put("translationShare", share.applyAsDouble(c) * (1 + 0.02 * r));
                store.write(row(m, c, r, RunRecord.OK, metrics));
            }
        }
    }

    private static RunRecord row(Manifest m, Configuration c, int replication, String status,
                                 Map<String, Double> metrics) {
        Experiment e = m.experiment();
        return new RunRecord(e.name(), c.id(), c.mode().label(), c.workload(), c.factors(), replication, e.seed(),
                e.references(), 0, status, RunRecord.OK.equals(status) ? null : "synthetic failure", 0.1, "test",
                org.nestwalk.util.BuildInfo.build(), metrics, c.settings().asText());
    }

    private static void checkFiles(List<Path> files) throws Exception {
        assertFalse(files.isEmpty());
        for (Path f : files) {
            assertTrue(Files.isRegularFile(f), f + " exists");
            byte[] bytes = Files.readAllBytes(f);
            if (f.toString().endsWith(".png")) {
                assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), f + " is a PNG");
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
                assertNotNull(image, f + " decodes");
                assertEquals(Plots.WIDTH, image.getWidth());
                assertEquals(Plots.HEIGHT, image.getHeight());
            } else {
                assertTrue(f.toString().endsWith(".svg"), f.toString());
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                // The SVG names the W3C DTD; a test must not fetch it from the network.
                factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                Document d = factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
                assertEquals("svg", d.getDocumentElement().getNodeName());
                assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("<svg"));
            }
        }
        // No temporary file of the atomic writes is left behind.
        assertEquals(names(files), names(list(files.get(0).getParent())));
    }

    private static List<Path> list(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    private static Set<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
}
