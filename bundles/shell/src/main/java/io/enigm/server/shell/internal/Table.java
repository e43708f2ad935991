package io.enigm.server.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Plain-text columns for a terminal: a header, then one line per row, each column as wide as its
 * widest cell. A missing value prints as {@code -}; a cell never spans lines.
 */
final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> headers) {
        this.headers = headers;
    }

    static Table of(String... headers) {
        return new Table(List.of(headers));
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(Table::cell).toList());
        return this;
    }

    private static String cell(Object value) {
        return value == null ? "-" : Objects.toString(value).replaceAll("\\s+", " ");
    }

    @Override
    public String toString() {
        int[] widths = new int[headers.size()];
        for (List<String> line : lines()) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], line.get(column).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : lines()) {
            StringBuilder printed = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                String cell = line.get(column);
                printed.append(column == 0 ? "" : "  ").append(cell).append(" ".repeat(widths[column] - cell.length()));
            }
            text.append(printed.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private List<List<String>> lines() {
        List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(headers);
        lines.addAll(rows);
        return lines;
    }
}
