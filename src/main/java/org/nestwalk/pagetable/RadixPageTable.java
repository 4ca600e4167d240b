package org.nestwalk.pagetable;

/**
 * An x86-64 radix page table as software sees it: the OS editing its process's table, the hypervisor editing a nested
 * table. Nodes are 4 KiB frames of 512 eight-byte entries in a {@link PhysicalMemory}. With 4 levels (48-bit
 * addresses) level 4 is the root (PML4), indexed by address bits 47..39, down to level 1 indexed by bits 20..12;
 * with 5 levels (LA57, 57-bit addresses) a level-5 root (PML5) indexed by bits 56..48 sits above it. The hardware's
 * walk of the same data is in {@code org.nestwalk.walk}; this class never models timing.
 */
public final class RadixPageTable {
    /** Levels of a 4-level table (LA48). */
    public static final int LEVELS = 4;
    /** Levels of a 5-level table (LA57). */
    public static final int MAX_LEVELS = 5;

    /** Where new table nodes come from. */
    @FunctionalInterface
    public interface NodeSource {
        /** Address of a fresh 4 KiB frame for a level-{@code level} node. */
        long newNode(int level);
    }

    private final PhysicalMemory memory;
    private final long root;
    private final int levels;

    /** A 4-level table whose root node is the (zeroed) frame at {@code root}. */
    public RadixPageTable(PhysicalMemory memory, long root) {
        this(memory, root, LEVELS);
    }

    /** A table of {@code levels} levels (4 or 5) whose root node is the (zeroed) frame at {@code root}. */
    public RadixPageTable(PhysicalMemory memory, long root, int levels) {
        if (levels != LEVELS && levels != MAX_LEVELS) {
            throw new IllegalArgumentException("a radix table has 4 or 5 levels, not " + levels);
        }
        this.memory = memory;
        this.root = root;
        this.levels = levels;
        memory.zeroFrame(root);
    }

    /** The table's depth: 4 (48-bit addresses) or 5 (57-bit). */
    public int levels() {
        return levels;
    }

    /** The top of the lower (user) half of the addresses a table of {@code levels} levels translates. */
    public static long userTop(int levels) {
        return 1L << (12 + 9 * levels - 1);
    }

    public long root() {
        return root;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    /** The 9-bit index of {@code va} into a level-{@code level} node. */
    public static int index(long va, int level) {
        return (int) ((va >>> (12 + 9 * (level - 1))) & 511);
    }

    /** Address of the entry for {@code va} in the level-{@code level} node at {@code node}. */
    public static long entryAddress(long node, long va, int level) {
        return node + ((long) index(va, level) << 3);
    }

    /**
     * Maps the page of {@code size} containing {@code va} to the frame at {@code frame}, creating missing nodes.
     *
     * @throws IllegalStateException if a larger page already covers {@code va}
     */
    public void map(long va, long frame, PageSize size, boolean writable, NodeSource nodes,
                    TableWriteObserver observer) {
        map(va, frame, size, writable, false, nodes, observer);
    }

    /** {@link #map}, with the leaf's dirty bit already set when {@code dirty}. */
    public void map(long va, long frame, PageSize size, boolean writable, boolean dirty, NodeSource nodes,
                    TableWriteObserver observer) {
        if ((frame & size.offsetMask()) != 0) {
            throw new IllegalArgumentException(String.format("frame 0x%x is not aligned to %s", frame, size));
        }
        long node = root;
        for (int level = levels; level > size.leafLevel(); level--) {
            long at = entryAddress(node, va, level);
            long entry = memory.read(at);
            if (!Pte.present(entry)) {
                long child = nodes.newNode(level - 1);
                memory.zeroFrame(child);
                observer.nodeAllocated(child, level - 1);
                long fresh = Pte.table(child);
                memory.write(at, fresh);
                observer.entryWritten(va, at, level, entry, fresh);
                node = child;
            } else if (Pte.large(entry)) {
                throw new IllegalStateException(String.format(
                        "0x%x is already mapped by a larger page at level %d", va, level));
            } else {
                node = Pte.address(entry);
            }
        }
        long at = entryAddress(node, va, size.leafLevel());
        long old = memory.read(at);
        if (size.leafLevel() > 1 && Pte.present(old) && !Pte.large(old)) {
            throw new IllegalStateException(String.format(
                    "0x%x: a %s page would replace a level-%d table that maps smaller pages", va, size,
                    size.leafLevel()));
        }
        long leaf = Pte.leaf(frame, size, writable) | (dirty ? Pte.DIRTY | Pte.ACCESSED : 0);
        memory.write(at, leaf);
        observer.entryWritten(va, at, size.leafLevel(), old, leaf);
    }

    /**
     * Removes the mapping of the page containing {@code va} (the entry becomes not-present; nodes stay).
     *
     * @return the mapping that was removed, or null if there was none
     */
    public Mapping unmap(long va, TableWriteObserver observer) {
        Mapping m = lookup(va);
        if (m != null) {
            memory.write(m.leafAddress(), 0);
            observer.entryWritten(va, m.leafAddress(), m.size().leafLevel(), m.leafEntry(), 0);
        }
        return m;
    }

    /**
     * Writes {@code entry} as the leaf of the existing mapping of {@code va} (a change of frame or of rights).
     *
     * @return the previous mapping
     * @throws IllegalStateException if {@code va} is not mapped
     */
    public Mapping rewrite(long va, long entry, TableWriteObserver observer) {
        Mapping m = lookup(va);
        if (m == null) {
            throw new IllegalStateException(String.format("0x%x is not mapped", va));
        }
        memory.write(m.leafAddress(), entry);
        observer.entryWritten(va, m.leafAddress(), m.size().leafLevel(), m.leafEntry(), entry);
        return m;
    }

    /** Visits each leaf of the table. */
    @FunctionalInterface
    public interface LeafVisitor {
        /**
         * @param va           first virtual address of the page
         * @param entryAddress address of the leaf entry
         * @param entry        the entry
         * @param size         the page size
         */
        void leaf(long va, long entryAddress, long entry, PageSize size);
    }

    /** Every present leaf whose page starts in [start, end), in ascending virtual order. */
    public void forEachLeaf(long start, long end, LeafVisitor visitor) {
        visit(root, levels, 0, start, end, visitor);
    }

    /** Every table node below the root (the frames the table occupies besides its root), in no particular order. */
    public void forEachNode(java.util.function.LongConsumer visitor) {
        nodes(root, levels, visitor);
    }

    private void visit(long node, int level, long base, long start, long end, LeafVisitor visitor) {
        long span = 1L << (12 + 9 * (level - 1));
        for (int i = 0; i < 512; i++) {
            long va = base + i * span;
            if (va + span <= start || va >= end) {
                continue;
            }
            long at = node + ((long) i << 3);
            long entry = memory.read(at);
            if (!Pte.present(entry)) {
                continue;
            }
            if (level == 1 || Pte.large(entry)) {
                if (va >= start) {
                    visitor.leaf(va, at, entry, PageSize.ofLeafLevel(level));
                }
            } else {
                visit(Pte.address(entry), level - 1, va, start, end, visitor);
            }
        }
    }

    private void nodes(long node, int level, java.util.function.LongConsumer visitor) {
        if (level == 1) {
            return;
        }
        for (int i = 0; i < 512; i++) {
            long entry = memory.read(node + ((long) i << 3));
            if (Pte.present(entry) && !Pte.large(entry)) {
                visitor.accept(Pte.address(entry));
                nodes(Pte.address(entry), level - 1, visitor);
            }
        }
    }

    /** What {@code va} maps to, or null if it is not mapped. */
    public Mapping lookup(long va) {
        long node = root;
        for (int level = levels; level >= 1; level--) {
            long at = entryAddress(node, va, level);
            long entry = memory.read(at);
            if (!Pte.present(entry)) {
                return null;
            }
            if (level == 1 || Pte.large(entry)) {
                PageSize size = PageSize.ofLeafLevel(level);
                return new Mapping(Pte.address(entry) & ~size.offsetMask(), size, entry, at);
            }
            node = Pte.address(entry);
        }
        throw new AssertionError("unreachable");
    }
}
