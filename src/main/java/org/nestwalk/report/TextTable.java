package org.nestwalk.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of text cells printed with aligned columns. By default the first column is left-aligned and the others
 * right-aligned (labels, then numbers); {@link #TextTable(String)} sets each column's alignment.
 */
public final class TextTable {
    private final List<List<String>> rows = new ArrayList<>();
    private final String alignment;

    public TextTable() {
        this("l");
    }

    /** @param alignment one letter per column, 'l' or 'r'; columns beyond it are right-aligned */
    public TextTable(String alignment) {
        this.alignment = alignment;
    }

    public TextTable row(List<String> cells) {
        rows.add(List.copyOf(cells));
        return this;
    }

    public TextTable row(String... cells) {
        return row(List.of(cells));
    }

    @Override
    public String toString() {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[columns];
        for (List<String> r : rows) {
            for (int c = 0; c < r.size(); c++) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.size(); c++) {
                String cell = r.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                if (c > 0) {
                    line.append("  ");
                }
                boolean left = c < alignment.length() && alignment.charAt(c) == 'l';
                line.append(left ? cell + pad : pad + cell);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
