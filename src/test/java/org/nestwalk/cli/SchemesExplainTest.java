package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain of 5-level paging and of the later schemes, as text, JSON and picture, as a user meets them. */
class SchemesExplainTest {
    private static final String[] COLD = {"--set", "pwc.entries=0", "--set", "ntlb.entries=0"};

    private static CliRun explain(String... args) {
        String[] all = new String[args.length + COLD.length + 1];
        all[0] = "explain";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(COLD, 0, all, 1 + args.length, COLD.length);
        CliRun r = CliRun.of(all);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private static JsonNode json(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--json";
        return new ObjectMapper().readTree(explain(all).out());
    }

    @Test
    void fiveLevelPagingInBothDimensionsShows35References() {
        CliRun r = explain("--mode", "nested", "--set", "guest.pagingLevels=5", "--set", "hypervisor.nestedLevels=5",
                "--va", "0x00f1_2345_6789_a000");
        assertTrue(r.out().contains("35 memory references (5 guest + 30 nested)"), r.out());
        assertTrue(r.out().contains("gL5 table (gCR3)") && r.out().contains("nL5"), r.out());
        assertTrue(explain("--mode", "native", "--set", "guest.pagingLevels=5").out().contains("5 memory references"));
    }

    @Test
    void anAddressAbove48BitsNeedsFiveLevels() {
        CliRun r = CliRun.of("explain", "--va", "0x00f1_2345_6789_a000");
        r.assertOneLineError("with 4-level paging");
    }

    @Test
    void aHashedNestedWalkShowsItsWaysReadTogether() throws Exception {
        JsonNode w = json("--mode", "hashed-nested", "--set", "mmu.cwcEntries=0");
        assertEquals(4 + 5 * 3, w.get("references").asInt());
        assertEquals(15, w.get("nestedReferences").asInt());
        int together = 0;
        for (JsonNode s : w.get("steps")) {
            together += s.has("issuedWithPrevious") ? 1 : 0;
        }
        assertEquals(5 * 2, together, "each of the 5 translations issues its 2 other ways with its first");
        String text = explain("--mode", "hashed-nested", "--set", "mmu.cwcEntries=0").out();
        assertTrue(text.contains("way 1") && text.contains("way 3") && text.contains("read together"), text);
    }

    @Test
    void aPomTlbWalkIsItsProbeAndThe2dWalkBehindIt() throws Exception {
        // The page is present, so the POM-TLB holds it: one reference. Started empty, it misses: the 2D walk too.
        JsonNode hit = json("--mode", "pom-tlb");
        assertEquals(1, hit.get("references").asInt());
        JsonNode w = json("--mode", "pom-tlb", "--set", "tlb.pomWarm=false");
        assertEquals(25, w.get("references").asInt());
        assertEquals("pom-tlb", w.get("steps").get(0).get("table").asText());
        assertTrue(explain("--mode", "pom-tlb", "--set", "tlb.pomWarm=false").out().contains("1 pom-tlb"));
    }

    @Test
    void agileWalksShowWhereTheySwitch() throws Exception {
        assertEquals(4, json("--mode", "agile").get("references").asInt());
        JsonNode nested = json("--mode", "agile", "--set", "hypervisor.agileStart=nested");
        assertEquals(24, nested.get("references").asInt());
        assertTrue(explain("--mode", "agile", "--set", "hypervisor.agileStart=nested").out()
                .contains("gL4 table (gCR3)"));
    }

    @Test
    void theirGridsDrawAsPictures(@TempDir Path dir) throws Exception {
        for (String mode : new String[] {"hashed-nested", "pom-tlb", "agile"}) {
            Path svg = dir.resolve(mode + ".svg");
            explain("--mode", mode, "--svg", svg.toString(), "--set", "tlb.pomWarm=false");
            assertEquals("svg", DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile())
                    .getDocumentElement().getNodeName());
            String picture = Files.readString(svg);
            assertTrue(!mode.equals("hashed-nested") || picture.contains("way 3"), mode);
            assertTrue(!mode.equals("pom-tlb") || picture.contains("POM-TLB probe"), mode);
        }
    }
}
