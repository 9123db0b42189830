package dev.agbscript.jshell;

import java.util.List;

/**
 * What running a cell gave: the main result (the value of a final expression) or an error, or neither.
 *
 * @param valueText  JShell's text of the final expression's value, or null
 * @param valueJson  the JSON of that value when it has one (the value protocol), or null
 * @param error      the error, or null
 */
record CellOutcome(String valueText, String valueJson, Error error) {
    /**
     * An error in Jupyter's terms. The traceback carries a {@code --> line N, column M} marker that the
     * client parses for the position in the cell.
     */
    record Error(String name, String value, List<String> traceback) {}

    static CellOutcome nothing() {
        return new CellOutcome(null, null, null);
    }

    static CellOutcome value(String text, String json) {
        return new CellOutcome(text, json, null);
    }

    static CellOutcome failure(String name, String value, List<String> traceback) {
        return new CellOutcome(null, null, new Error(name, value, List.copyOf(traceback)));
    }

    boolean failed() {
        return error != null;
    }
}
