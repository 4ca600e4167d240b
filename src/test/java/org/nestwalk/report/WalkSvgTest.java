package org.nestwalk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.sim.WalkProbe;
import org.nestwalk.walk.ServedBy;
import org.nestwalk.walk.Walk;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The picture of a walk is well-formed SVG with one coloured cell per step of the walk the simulator made. */
class WalkSvgTest {
    private static Walk coldWalk(String mode) {
        return WalkProbe.run(TestSpecs.spec(mode, "random", "workload.footprint", "64KiB", "pwc.entries", "0",
                "ntlb.entries", "0"), 0, List.of(0x7f12_3456_7000L)).walks().get(0);
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The step cells (the rectangles that carry a title) filled with the colour of {@code by}, or all. */
    private static int cells(Document d, ServedBy by) {
        NodeList rects = d.getElementsByTagName("rect");
        int n = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if (r.getElementsByTagName("title").getLength() == 1
                    && (by == null || r.getAttribute("fill").equals(WalkSvg.colour(by)))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aColdTwoDimensionalWalkIsTwentyFourCells() throws Exception {
        Walk w = coldWalk("nested");
        Document d = parse(WalkSvg.render(List.of(new WalkSvg.Panel("cold", w))));
        assertEquals(24, cells(d, null));
        assertEquals(w.servedBy(ServedBy.DRAM), cells(d, ServedBy.DRAM));
        assertEquals(w.servedBy(ServedBy.L1), cells(d, ServedBy.L1));
    }

    @Test
    void aComparisonDrawsBothWalksAndALegend() throws Exception {
        Walk nested = coldWalk("nested");
        Walk flat = coldWalk("flat-nested");
        Document d = parse(WalkSvg.render(List.of(new WalkSvg.Panel("nested <2D>", nested),
                new WalkSvg.Panel("flat & nested", flat))));
        assertEquals(24 + 9, cells(d, null));
        String text = d.getDocumentElement().getTextContent();
        for (ServedBy by : ServedBy.values()) {
            assertTrue(text.contains(by.name()), by + " in the legend");
        }
        assertTrue(text.contains("nested <2D>"));
    }

    @Test
    void oneDimensionalAndSpeculativeWalksHaveACellPerStep() throws Exception {
        for (String mode : new String[] {"native", "shadow", "spec-shadow"}) {
            Walk w = coldWalk(mode);
            Document d = parse(WalkSvg.render(List.of(new WalkSvg.Panel(mode, w))));
            assertEquals(w.steps().size(), cells(d, null), mode);
        }
    }
}
