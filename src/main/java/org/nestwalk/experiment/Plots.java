package org.nestwalk.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nestwalk.experiment.Analysis.ConfigurationSummary;
import org.nestwalk.experiment.Analysis.Versus;
import org.nestwalk.experiment.Experiment.Factor;
import org.nestwalk.report.Metric;
import org.nestwalk.report.Metrics;
import org.nestwalk.stats.Estimate;
import org.nestwalk.util.AtomicFiles;
import org.nestwalk.walk.ModeKind;

/**
 * The figures of an experiment, drawn from its {@link Analysis} as PNG (to look at) and SVG (to put in a paper):
 * <ul>
 *   <li>{@code runtime-over-<baseline>}: per workload, each mode's runtime normalized to the baseline mode, with
 *       whiskers for the 95 % t-interval of the paired per-replication ratio; the baseline is drawn as bars of 1 so
 *       the reference is in the picture. With factors there is one such chart per factor combination, named after
 *       it: {@code runtime-over-nested-tlb.l2.entries-512}.</li>
 *   <li>{@code <metric>-vs-<factor>-<workload>}: for each factor whose values are numbers (a swept structure size
 *       such as {@code tlb.l2.entries}), the experiment's sweep metric (by default the translation overhead,
 *       {@code translationShare}) against the factor's value, one curve per mode and combination of the other
 *       factors, with 95 % t-interval whiskers.</li>
 * </ul>
 * Every chart gives a mode the same colour ({@link #colour}); curves of one mode for other factor values differ by
 * marker and line. Bars start at 0; a curve's axis that does not start at 0 says where it starts in its title. A
 * configuration without successful runs, or a metric a mode does not define, leaves its point out rather than
 * drawing it as 0.
 */
public final class Plots {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    /** Swept values spanning at least this ratio get a log-2 axis, where doubling sizes are evenly spaced. */
    private static final double LOG_AXIS_RATIO = 8;
    /** More axis labels than this are turned, or they run into each other at 800 px. */
    private static final int MAX_UPRIGHT_LABELS = 8;

    private Plots() {
    }

    /**
     * Draws the experiment's figures into {@code dir/plots/}, each as {@code .png} and {@code .svg}: the runtime
     * normalized to the baseline mode with 95 % t-interval whiskers (one chart per factor combination when there
     * are factors), and for every numeric factor with two values or more the sweep curves of the sweep metric
     * (translation overhead unless the experiment names another) against the swept size, one chart per workload. A
     * chart with nothing to show (no mode besides the baseline, or no defined value at all) is not written.
     *
     * @param a   the analysed results
     * @param dir the experiment's results directory
     * @return the files written, PNG before SVG, runtime charts first
     */
    public static List<Path> write(Analysis a, Path dir) {
        Path out = dir.resolve("plots");
        List<Path> written = new ArrayList<>();
        for (Figure f : figures(a)) {
            written.addAll(save(f.chart(), out, f.name()));
        }
        return written;
    }

    /**
     * A chart and the file name it is written under, without extension. Kept apart from the writing so that what a
     * chart shows can be checked: XChart draws an SVG's text as glyph outlines, so the files do not contain it.
     */
    record Figure(String name, Chart<?, ?> chart) {
    }

    /** Every chart {@link #write} writes, in the same order. */
    static List<Figure> figures(Analysis a) {
        // Rendering off-screen must not need (or open) a display, as on a build or compute server.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Experiment e = a.manifest().experiment();
        List<Figure> figures = new ArrayList<>();
        List<Map<String, String>> combinations = Manifest.grid(e.factors());
        for (Map<String, String> combination : combinations) {
            CategoryChart c = runtimeChart(a, combination);
            if (c != null) {
                StringBuilder name = new StringBuilder("runtime-over-" + e.baseline().label());
                combination.forEach((k, v) -> name.append('-').append(k).append('-').append(v));
                figures.add(new Figure(fileSafe(name.toString()), c));
            }
        }
        for (Factor f : e.factors()) {
            if (numericValues(f) == null) {
                continue;
            }
            for (String w : workloads(a.manifest())) {
                XYChart c = sweepChart(a, f, w);
                if (c != null) {
                    figures.add(new Figure(fileSafe(e.outputs().sweepMetric() + "-vs-" + f.key() + "-" + w), c));
                }
            }
        }
        return figures;
    }

    private static CategoryChart runtimeChart(Analysis a, Map<String, String> combination) {
        Manifest m = a.manifest();
        Experiment e = m.experiment();
        List<ModeKind> alternatives = new ArrayList<>(e.modes());
        alternatives.remove(e.baseline());
        Map<String, Configuration> byKey = new HashMap<>();
        List<String> workloads = new ArrayList<>();
        Configuration any = null;
        for (Configuration c : m.configurations()) {
            if (c.factors().equals(combination)) {
                byKey.put(c.mode().label() + "|" + c.workload(), c);
                if (!workloads.contains(c.workload())) {
                    workloads.add(c.workload());
                }
                any = c;
            }
        }
        if (alternatives.isEmpty() || any == null) {
            return null;
        }
        Map<String, Versus> versus = new HashMap<>();
        for (Versus v : a.comparisons()) {
            versus.put(v.configuration().id(), v);
        }
        Map<String, List<Double>> means = new LinkedHashMap<>();
        Map<String, List<Double>> errors = new LinkedHashMap<>();
        boolean anyBar = false;
        for (ModeKind mode : alternatives) {
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (String w : workloads) {
                Configuration c = byKey.get(mode.label() + "|" + w);
                Versus v = c == null ? null : versus.get(c.id());
                Estimate r = v == null ? null : v.normalizedRuntime();
                // XChart leaves a NaN bar out (a null would crash it), which is the honest picture of a missing
                // comparison: no bar rather than a bar of 0.
                y.add(r == null || !Double.isFinite(r.mean()) ? Double.NaN : r.mean());
                err.add(r == null || !Double.isFinite(r.mean()) ? 0.0 : whisker(r));
                anyBar |= r != null && Double.isFinite(r.mean());
            }
            means.put(mode.label(), y);
            errors.put(mode.label(), err);
        }
        if (!anyBar) {
            return null;
        }
        CategoryChart chart = new CategoryChart(WIDTH, HEIGHT);
        String factors = any.factorText();
        chart.setTitle(e.name() + " — runtime normalized to " + e.baseline().label()
                + (factors.isEmpty() ? "" : " (" + factors + ")"));
        chart.setXAxisTitle("workload");
        chart.setYAxisTitle("runtime / baseline (95 % CI)");
        style(chart.getStyler());
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        if (workloads.size() > MAX_UPRIGHT_LABELS) {
            chart.getStyler().setXAxisLabelRotation(45);
        }
        List<Double> ones = new ArrayList<>();
        List<Double> zeros = new ArrayList<>();
        for (int i = 0; i < workloads.size(); i++) {
            ones.add(1.0);
            zeros.add(0.0);
        }
        // Bars are lengths: they start at 0, or a difference of 0.5 % would look like a gulf.
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries(e.baseline().label() + " (baseline)", workloads, ones, zeros)
                .setFillColor(colour(e.baseline()));
        for (ModeKind mode : alternatives) {
            chart.addSeries(mode.label(), workloads, means.get(mode.label()), errors.get(mode.label()))
                    .setFillColor(colour(mode));
        }
        return chart;
    }

    private static XYChart sweepChart(Analysis a, Factor f, String workload) {
        Experiment e = a.manifest().experiment();
        String metric = e.outputs().sweepMetric();
        long[] values = numericValues(f);
        boolean log2 = logAxis(values);
        // One curve per mode and setting of the other factors, modes in the experiment's order.
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        Map<String, ModeKind> modeOf = new HashMap<>();
        for (ModeKind mode : e.modes()) {
            for (ConfigurationSummary s : a.configurations()) {
                Configuration c = s.configuration();
                if (c.mode() != mode || !c.workload().equals(workload)) {
                    continue;
                }
                List<double[]> points = curves.computeIfAbsent(curveName(c, f.key()), k -> new ArrayList<>());
                modeOf.put(curveName(c, f.key()), mode);
                Estimate est = s.metrics().get(metric);
                if (est == null || !Double.isFinite(est.mean())) {
                    continue;
                }
                double x = Long.parseLong(c.factors().get(f.key()).trim());
                points.add(new double[] {log2 ? log2(x) : x, est.mean(), whisker(est)});
            }
        }
        curves.values().removeIf(List::isEmpty);
        if (curves.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(e.name() + " — " + metric + " against " + f.key() + " (" + workload + ")");
        chart.setXAxisTitle(f.key() + (log2 ? " (log scale)" : ""));
        Metric described = Metrics.get(metric);
        String axisNote = yRange(chart, curves.values());
        chart.setYAxisTitle(metric + (described == null ? "" : ": " + described.description()) + " (95 % CI)"
                + axisNote);
        style(chart.getStyler());
        // With a tick-label function XChart puts the ticks at the plotted x values, so every swept size is labelled
        // and nothing else is. Its own logarithmic axis labels decades only (100, 1000), which hides sizes that
        // double; plotting log2 of the size and labelling it with the size itself gives the log-2 axis instead.
        Function<Double, String> label = log2 ? v -> Long.toString(Math.round(Math.pow(2, v)))
                : v -> Long.toString(Math.round(v));
        chart.getStyler().setxAxisTickLabelsFormattingFunction(label);
        if (values.length > MAX_UPRIGHT_LABELS) {
            chart.getStyler().setXAxisLabelRotation(45);
        }
        // Colouring each whisker like its curve tells overlapping intervals apart.
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        Map<ModeKind, Integer> curvesOf = new HashMap<>();
        for (Map.Entry<String, List<double[]>> curve : curves.entrySet()) {
            List<double[]> points = curve.getValue();
            points.sort(Comparator.comparingDouble(p -> p[0]));
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            double[] err = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                x[i] = points.get(i)[0];
                y[i] = points.get(i)[1];
                err[i] = points.get(i)[2];
            }
            XYSeries series = chart.addSeries(curve.getKey(), x, y, err);
            ModeKind mode = modeOf.get(curve.getKey());
            // The mode's colour; its curves for other factor values told apart by marker, then by line.
            int k = curvesOf.merge(mode, 1, Integer::sum) - 1;
            series.setLineColor(colour(mode));
            series.setMarkerColor(colour(mode));
            series.setMarker(MARKERS[k % MARKERS.length]);
            series.setLineStyle(LINES[k / MARKERS.length % LINES.length]);
        }
        return chart;
    }

    /**
     * Sets the y axis of a sweep chart: from 0 when the values reach down to half their maximum or below (so the
     * heights compare as they are), else around the values, saying so: the returned note goes into the axis title.
     */
    private static String yRange(XYChart chart, java.util.Collection<List<double[]>> curves) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<double[]> points : curves) {
            for (double[] p : points) {
                lo = Math.min(lo, p[1] - p[2]);
                hi = Math.max(hi, p[1] + p[2]);
            }
        }
        if (!(lo >= 0) || !(hi > 0)) {
            return "";
        }
        if (lo <= hi / 2) {
            chart.getStyler().setYAxisMin(0.0);
            return "";
        }
        double pad = hi > lo ? (hi - lo) * 0.1 : hi * 0.01;
        double min = lo - pad;
        chart.getStyler().setYAxisMin(min);
        chart.getStyler().setYAxisMax(hi + pad);
        return "; axis from " + ResultsReadme.fmt(min) + ", not 0";
    }

    /** "nested", or with other factors "nested, ntlb.entries=16". */
    private static String curveName(Configuration c, String swept) {
        StringBuilder b = new StringBuilder(c.mode().label());
        for (Map.Entry<String, String> other : c.factors().entrySet()) {
            if (!other.getKey().equals(swept)) {
                b.append(", ").append(other.getKey()).append('=').append(other.getValue());
            }
        }
        return b.toString();
    }

    /** The factor's values as numbers, or null if one is not a whole number or there is nothing to sweep. */
    private static long[] numericValues(Factor f) {
        if (f.values().size() < 2) {
            return null;
        }
        long[] v = new long[f.values().size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Long.parseLong(f.values().get(i).trim());
            } catch (NumberFormatException x) {
                return null;
            }
        }
        return v;
    }

    /** Decided on the factor's values, not on the points a workload has, so every workload's chart matches. */
    private static boolean logAxis(long[] values) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return min > 0 && (double) max / min >= LOG_AXIS_RATIO;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** The half-width of the 95 % interval; one replication has none, drawn as a whisker of length 0. */
    private static double whisker(Estimate est) {
        return Double.isFinite(est.halfWidth()) ? est.halfWidth() : 0;
    }

    private static List<String> workloads(Manifest m) {
        Set<String> names = new LinkedHashSet<>();
        for (Configuration c : m.configurations()) {
            names.add(c.workload());
        }
        return new ArrayList<>(names);
    }

    /**
     * A mode's colour in every chart: strong, distinct hues from Okabe and Ito's palette, which colour-blind readers
     * tell apart too; native, the reference without a VM, is grey. The palette has eight colours; the later schemes
     * take its remaining three and black.
     */
    static Color colour(ModeKind mode) {
        return switch (mode) {
            case NATIVE -> new Color(0x6E6E6E);
            case NESTED -> new Color(0x0072B2);
            case FLAT_NESTED -> new Color(0x009E73);
            case SHADOW -> new Color(0xD55E00);
            case SPEC_SHADOW -> new Color(0xCC79A7);
            case HASHED_NESTED -> new Color(0xE69F00);
            case POM_TLB -> new Color(0x56B4E9);
            case AGILE -> new Color(0x000000);
        };
    }

    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {SeriesMarkers.CIRCLE,
        SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};
    private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
        SeriesLines.DASH_DOT};

    private static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setToolTipsEnabled(false);
    }

    /** Renders in memory first, so that a failed rendering leaves no file and a written one is whole. */
    private static List<Path> save(Chart<?, ?> chart, Path dir, String name) {
        byte[] png;
        byte[] svg;
        try {
            png = BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, b, VectorGraphicsFormat.SVG);
            svg = b.toByteArray();
        } catch (IOException x) {
            throw new UncheckedIOException("cannot render the plot " + name + ": " + x.getMessage(), x);
        }
        Path pngFile = dir.resolve(name + ".png");
        Path svgFile = dir.resolve(name + ".svg");
        AtomicFiles.write(pngFile, png);
        AtomicFiles.write(svgFile, svg);
        return List.of(pngFile, svgFile);
    }
}
