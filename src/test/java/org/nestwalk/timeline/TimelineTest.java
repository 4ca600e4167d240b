package org.nestwalk.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.Simulation;
import org.w3c.dom.Document;

/**
 * A recorded timeline is consistent with the run it records: events in time order, none overlapping another on a
 * lane that does one thing at a time, one walk event per walk the run counted; and recording changes nothing.
 */
class TimelineTest {
    private static RunSpec spec(String mode, String workload, long refs, long warmup) {
        return TestSpecs.spec(mode, workload, refs, warmup, 1, "workload.footprint", "64MiB");
    }

    private static void assertConsistent(List<TimelineEvent> events, RunResult r) {
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).start() <= events.get(i).start(), "ordered by start");
        }
        Map<String, List<TimelineEvent>> byLane = events.stream().collect(Collectors.groupingBy(
                TimelineEvent::lane));
        for (var lane : byLane.entrySet()) {
            // The vCPU runs one thing at a time, as do the walker (walk, then its verification) and each DRAM bank.
            long free = Long.MIN_VALUE;
            for (TimelineEvent e : lane.getValue()) {
                assertTrue(e.start() >= free, lane.getKey() + ": " + e + " starts before " + free);
                free = e.end();
            }
        }
        // The vCPU's lanes together (running, guest OS, hypervisor) never overlap either.
        long free = Long.MIN_VALUE;
        for (TimelineEvent e : events.stream().filter(e -> e.lane().equals("vcpu") || e.lane().equals("guest-os")
                || e.lane().equals("hypervisor")).toList()) {
            assertTrue(e.start() >= free, e + " overlaps the vCPU's previous work ending at " + free);
            free = e.end();
        }
        assertEquals(r.walks(), events.stream().filter(e -> e.kind().equals("walk")).count(),
                "one walk event per walk counted in the measured interval");
    }

    @Test
    void aNestedRunWithOsActivityRecordsEveryWalkOfItsInterval() {
        RunSpec spec = TestSpecs.spec("shadow", "gcc-like", 20_000, 5_000, 1);
        TimelineRecording t = new TimelineRecording(1_000_000);
        RunResult r = Simulation.run(spec, null, t);
        assertEquals(0, t.leftOut());
        List<TimelineEvent> events = t.events();
        assertConsistent(events, r);
        long exits = java.util.Arrays.stream(r.interval().cpu().exits()).sum();
        assertTrue(exits > 0, "gcc-like traps under shadow");
        assertEquals(exits, events.stream().filter(e -> e.kind().equals("vm-exit")).count(),
                "one event per VM exit counted");
        assertTrue(events.stream().anyMatch(e -> e.kind().equals("dram")));
        assertTrue(events.stream().allMatch(e -> e.end() <= t.intervalEnd()));
    }

    @Test
    void aSpeculativeRunRecordsItsVerifications() {
        RunSpec spec = spec("spec-shadow", "random", 5_000, 0);
        TimelineRecording t = new TimelineRecording(1_000_000);
        RunResult r = Simulation.run(spec, null, t);
        List<TimelineEvent> events = t.events();
        assertConsistent(events, r);
        long verifications = events.stream().filter(e -> e.kind().equals("verification")).count();
        assertTrue(verifications > 0);
        assertEquals(r.interval().cpu().speculations(), verifications);
    }

    @Test
    void recordingChangesNothingInTheRun() {
        RunSpec spec = spec("nested", "random", 5_000, 1_000);
        RunResult plain = Simulation.run(spec);
        RunResult recorded = Simulation.run(spec, null, new TimelineRecording(100));
        assertEquals(plain.cycles(), recorded.cycles());
        assertEquals(plain.walks(), recorded.walks());
        assertEquals(plain.interval().counters(), recorded.interval().counters());
    }

    @Test
    void theLimitBoundsWhatIsKept() {
        TimelineRecording t = new TimelineRecording(50);
        Simulation.run(spec("nested", "random", 5_000, 0), null, t);
        assertEquals(50, t.events().size());
        assertTrue(t.leftOut() > 0);
    }

    @Test
    void csvHasOneRowPerEventAndSvgIsWellFormedXml() throws Exception {
        TimelineRecording t = new TimelineRecording(500);
        Simulation.run(spec("spec-shadow", "random", 2_000, 0), null, t);
        List<TimelineEvent> events = t.events();
        List<String> lines = TimelineCsv.render(events).lines().toList();
        assertEquals(TimelineCsv.HEADER, lines.get(0));
        assertEquals(events.size() + 1, lines.size());
        String svg = TimelineSvg.render(events, "a <test> & title");
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getNodeName());
        // One bar per event, plus the legend's six swatches and the background.
        assertEquals(events.size() + 6 + 1, d.getElementsByTagName("rect").getLength());
    }

    /**
     * Issue 17: a long timeline was a 3 MB picture of solid bars with its axis cut off at the right. A lane with more
     * events than pixels is drawn per pixel column, and the picture says so; the axis labels stay inside it.
     */
    @Test
    void aLongTimelineIsDrawnPerPixelColumnAndSaysSo() throws Exception {
        List<TimelineEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            events.add(new TimelineEvent("vcpu", "burst", 10L * i, 10L * i + 4, ""));
            events.add(new TimelineEvent("walker", "walk", 10L * i + 4, 10L * i + 9, "0x1000"));
        }
        String svg = TimelineSvg.render(events, "long", "Cut: only the first events are drawn.");
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        int columns = 1400 - 110 - 20;
        assertTrue(d.getElementsByTagName("rect").getLength() <= 2 * columns + 6 + 1, "at most one bar per column");
        assertTrue(svg.length() < 400_000, "bounded: " + svg.length() + " characters");
        assertTrue(svg.contains("Cut: only the first events are drawn."));
        assertTrue(svg.contains("drawn per pixel column"), "the shading is explained");
        // Columns a burst takes 4 of 10 cycles of: shaded at 0.40.
        assertTrue(svg.contains("fill=\"#4daf4a\" fill-opacity=\"0.40\""), "busy share as opacity");
        assertTrue(svg.contains("text-anchor=\"end\">199,999</text>"), "the last label ends inside the picture");
        List<TimelineEvent> few = events.subList(0, 100);
        String small = TimelineSvg.render(few, "short");
        assertTrue(!small.contains("drawn per pixel column"));
    }
}
