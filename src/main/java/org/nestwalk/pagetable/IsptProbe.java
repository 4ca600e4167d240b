package org.nestwalk.pagetable;

/** What one lookup of an inverted shadow page table found in the line it read. */
public enum IsptProbe {
    /** No lookup was made (the walk's mode has no ISPT). */
    NONE,
    /** The line holds the page's entry: a speculative translation. */
    HIT,
    /** The line's tag is the page's (its block, or its set), but it holds no entry for the page. */
    NO_ENTRY,
    /** The line holds another address space's or another block's entries (a conflict, or never filled). */
    TAG_MISS;

    /** Lower-case words for output. */
    public String label() {
        return switch (this) {
            case NONE -> "none";
            case HIT -> "tag hit";
            case NO_ENTRY -> "tag hit, no entry for the page";
            case TAG_MISS -> "tag miss";
        };
    }
}
