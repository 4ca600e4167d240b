package org.nestwalk.teach;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.workload.OsEvent;
import org.nestwalk.workload.Region;
import org.nestwalk.workload.WorkloadSpec;

/**
 * A situation in which the hypervisor acts, as a tiny program for the guest: what each process does, step by step,
 * under which translation mode, and the settings it needs (e.g. no shared zero page, so that a read fault maps a
 * page of its own, writable but clean). The machine, the guest OS and the hypervisor that carry it out are the ones
 * every run uses.
 */
public enum Scenario {
    PAGE_FAULT("page-fault", ModeKind.SHADOW,
            "Shadow paging: the first read of a page is a true fault (the guest's entry is missing too: the "
                    + "hypervisor reflects it into the guest, whose handler writes its page table, each write "
                    + "trapped); the first store to it is a hidden fault (the guest's entry is valid but clean, so "
                    + "the shadow entry was read-only: the hypervisor sets the dirty bit and fixes the shadow "
                    + "without the guest knowing).",
            false, Map.of("guest.zeroPage", "false", "hypervisor.shadowSync", "trap"),
            List.of(List.of(Action.read(page(0)), Action.write(page(0))))),
    PTE_WRITE("pte-write", ModeKind.SHADOW,
            "Shadow paging: the program write-protects one of its pages (mprotect), so the guest rewrites the "
                    + "page's entry and invalidates it with INVLPG; the page-table page is write-protected, so the "
                    + "store traps and is emulated, and the INVLPG traps too. A read of the page follows. (With "
                    + "--set hypervisor.shadowSync=oos, Xen's out-of-sync level-1 tables: the write is a plain "
                    + "store and the table is resynchronised at the INVLPG.)",
            true, Map.of("hypervisor.shadowSync", "trap"),
            List.of(List.of(Action.read(page(0)),
                    Action.call(new OsEvent(OsEvent.Kind.WRITE_PROTECT, page(0), 4096), "write-protect the page"),
                    Action.read(page(0))))),
    CONTEXT_SWITCH("context-switch", ModeKind.SHADOW,
            "Shadow paging: two processes; the timer interrupts each after one read and the guest switches to the "
                    + "other, loading CR3. The CR3 load traps: the hypervisor finds the shadow table of the new "
                    + "address space (built before the run, so the cached-shadow cost) and points the hardware at "
                    + "it.",
            true, Map.of("hypervisor.shadowSync", "trap"),
            List.of(List.of(Action.read(page(0)).thenTimer(), Action.read(page(0))),
                    List.of(Action.read(page(1)).thenTimer()))),
    SPECULATION("spec-verified", ModeKind.SPEC_SHADOW,
            "Speculative inverted shadow paging: a TLB miss reads one ISPT line and uses the translation at once; "
                    + "the flat-nested walk behind it verifies it while the program runs on, and agrees. No VM "
                    + "exit.",
            true, Map.of(),
            List.of(List.of(Action.read(page(0)), Action.read(page(1))))),
    MISSPECULATION("spec-remap", ModeKind.SPEC_SHADOW,
            "Speculative inverted shadow paging after a remap: the guest moves a page to another frame (its "
                    + "entry rewritten, INVLPG; nothing traps, only the new frame's first touch is a nested fault), "
                    + "so the ISPT still holds the old translation. The next TLB miss speculates with it, the "
                    + "verification disagrees, and the vCPU squashes what it did since and replays.",
            true, Map.of(),
            List.of(List.of(Action.read(page(0)),
                    Action.call(new OsEvent(OsEvent.Kind.REMAP, page(0), 4096), "remap the page to a new frame"),
                    Action.read(page(0)), Action.read(page(1)))));

    /** Pages each process maps: a few, so that the machine is built in moments. */
    static final Region REGION = new Region(WorkloadSpec.BASE_ADDRESS, 4 * 4096);

    private final String label;
    private final ModeKind mode;
    private final String description;
    private final boolean prefault;
    private final Map<String, String> settings;
    private final List<List<Action>> processes;

    Scenario(String label, ModeKind mode, String description, boolean prefault, Map<String, String> settings,
             List<List<Action>> processes) {
        this.label = label;
        this.mode = mode;
        this.description = description;
        this.prefault = prefault;
        this.settings = settings;
        this.processes = processes;
    }

    /** One thing a process of a scenario does. */
    public record Action(String what, long va, boolean write, OsEvent event, boolean timerAfter) {
        static Action read(long va) {
            return new Action(String.format(Locale.ROOT, "read 0x%x", va), va, false, null, false);
        }

        static Action write(long va) {
            return new Action(String.format(Locale.ROOT, "store to 0x%x", va), va, true, null, false);
        }

        static Action call(OsEvent e, String what) {
            return new Action(what + String.format(Locale.ROOT, " (%s 0x%x)", e.kind().name().toLowerCase(
                    Locale.ROOT).replace('_', '-'), e.address()), 0, false, e, false);
        }

        /** The same, after which the guest's timer interrupts the vCPU. */
        Action thenTimer() {
            return new Action(what + ", then the timer interrupts", va, write, event, true);
        }
    }

    private static long page(int i) {
        return WorkloadSpec.BASE_ADDRESS + i * 4096L;
    }

    public String label() {
        return label;
    }

    public ModeKind mode() {
        return mode;
    }

    public String description() {
        return description;
    }

    /** Whether the processes' pages are mapped (and shadowed, or in the ISPT) before the scenario starts. */
    public boolean prefault() {
        return prefault;
    }

    /**
     * Settings the scenario chooses unless the user set them (shadow scenarios trap every page-table write by
     * default, the simplest synchronisation to follow).
     */
    public Map<String, String> settings() {
        return settings;
    }

    /** What each process does, in order; the first process runs first. */
    public List<List<Action>> processes() {
        return processes;
    }

    /** The scenario named {@code name}. */
    public static Scenario parse(String name) {
        for (Scenario s : values()) {
            if (s.label.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; expected one of " + names());
    }

    /** Every scenario's name, comma-separated. */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Scenario::label).toList());
    }
}
