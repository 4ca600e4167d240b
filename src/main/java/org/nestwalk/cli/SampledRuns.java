package org.nestwalk.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.nestwalk.report.Metrics;
import org.nestwalk.report.TextTable;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.SampledResult;
import org.nestwalk.sim.SamplingPlan;
import org.nestwalk.sim.Simulation;
import org.nestwalk.stats.Estimate;

/**
 * {@code run --sample}: each run sampled, its estimates printed with their 95 % intervals; with {@code --sample-check}
 * each run also simulated whole, in detail, beside it.
 */
final class SampledRuns {
    /** The rows printed: cycles per instruction first, then the rates a reader looks at. */
    private static final List<String> ROWS = List.of("ipc", "translationShare", "l1TlbMissRate", "tlbMpki",
            "itlbMpki", "walkLatency", "walkerOccupancy", "refsPerWalk", "criticalRefsPerWalk", "dramPerWalk",
            "pwcHitRate", "ntlbHitRate", "isptHitRate", "misspeculationRate", "dataDramRate", "hypervisorShare",
            "systemShare");

    private SampledRuns() {
    }

    /** One sampled run and, when checked, the same run in detail. */
    private record Pair(SampledResult sampled, RunResult detailed) {
    }

    static void run(List<RunSpec> specs, SamplingPlan plan, boolean check, int threads, PrintWriter out) {
        List<Pair> pairs = runAll(specs, plan, check, threads);
        TextTable t = new TextTable();
        List<String> head = new ArrayList<>(List.of("run"));
        for (Pair p : pairs) {
            String name = p.sampled().spec().mode().label() + " / " + p.sampled().spec().workload().name();
            head.add(name + ", sampled");
            if (check) {
                head.add("detailed");
            }
        }
        t.row(head);
        List<String> cpi = new ArrayList<>(List.of("cycles per instruction"));
        for (Pair p : pairs) {
            cpi.add(cell(p.sampled().cpi()));
            if (check) {
                cpi.add(number((double) p.detailed().cycles() / p.detailed().instructions()));
            }
        }
        t.row(cpi);
        for (String metric : ROWS) {
            List<String> row = new ArrayList<>(List.of(metric));
            boolean any = false;
            for (Pair p : pairs) {
                Estimate e = p.sampled().estimates().get(metric);
                boolean applies = e != null && Metrics.applies(metric, p.sampled().spec().mode().label())
                        && !(metric.equals("itlbMpki") && p.sampled().region().cpu().itlbLookups() == 0);
                row.add(applies ? cell(e) : "-");
                any |= applies;
                if (check) {
                    row.add(applies ? number(Metrics.get(metric).of(p.detailed())) : "-");
                }
            }
            if (any) {
                t.row(row);
            }
        }
        out.print(t);
        out.println();
        for (Pair p : pairs) {
            SampledResult s = p.sampled();
            long region = s.region().cpu().references();
            out.printf(Locale.ROOT, "%s on %s: %d units (%,d references in detail, %,d of them measured; the other"
                            + " %,d of the %,d after warm-up warmed functionally)%s; %.1f s%n",
                    s.spec().mode().label(), s.spec().workload().name(), s.units().size(), s.detailedReferences(),
                    s.units().size() * plan.unit(), Math.max(0, region - s.detailedReferences()), region,
                    s.stoppedEarly() ? ", stopped early: the interval was narrow enough" : "", s.wallNanos() / 1e9);
            if (check) {
                RunResult d = p.detailed();
                double truth = (double) d.cycles() / d.instructions();
                Estimate e = s.cpi();
                out.printf(Locale.ROOT, "  detailed: %.1f s, %.1f x the sampled run's time; cycles per instruction "
                                + "%s, %s the sampled interval [%s, %s]%n", d.wallNanos() / 1e9,
                        (double) d.wallNanos() / s.wallNanos(), number(truth),
                        truth >= e.low() && truth <= e.high() ? "inside" : "OUTSIDE", number(e.low()),
                        number(e.high()));
            }
        }
        out.flush();
    }

    private static List<Pair> runAll(List<RunSpec> specs, SamplingPlan plan, boolean check, int threads) {
        ExecutorService pool = Jobs.pool(Math.min(threads, specs.size()), "sampled-replication");
        try {
            List<Future<Pair>> futures = new ArrayList<>();
            for (RunSpec s : specs) {
                futures.add(pool.submit(() -> new Pair(Simulation.sampled(s, plan, null),
                        check ? Simulation.run(s) : null)));
            }
            return Jobs.gather(futures);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String cell(Estimate e) {
        return e.n() < 2 ? number(e.mean()) : number(e.mean()) + " ± " + number(e.halfWidth());
    }

    private static String number(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.3f" : "%.4f", v);
    }
}
