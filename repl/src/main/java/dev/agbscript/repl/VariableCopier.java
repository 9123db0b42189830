package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngine.TableShape;
import dev.agbscript.engine.AgbScriptEngine.VariableSummary;
import dev.agbscript.engine.AgbScriptException;
import javax.script.ScriptException;

/**
 * {@code /send}: copies a variable of one language into another one's kernel through the value codec. A value
 * with a JSON form crosses as it is; a table (a pandas DataFrame, an R data.frame) crosses as a table of the
 * target (records where it has none); anything else cannot cross, and says so.
 */
final class VariableCopier {
    /** Why a variable was not copied, in one line. */
    static final class CannotCopy extends Exception {
        CannotCopy(String message) {
            super(message);
        }
    }

    private VariableCopier() {}

    /**
     * Copies {@code name} of {@code from} into {@code to} as {@code as}, starting the target's kernel if need be.
     *
     * @return what the target made of it, e.g. {@code data.frame, 3 rows × 2 columns}
     */
    static String copy(AgbScriptEngine from, String name, AgbScriptEngine to, String as) throws CannotCopy {
        VariableSummary source = from.variableSummary(name).orElseThrow(() -> new CannotCopy("No variable " + name
                + " in " + from.language().displayName() + " (/vars lists them)"));
        try {
            if (source.shape() != null) {
                to.defineTable(as, from.table(name));
            } else if (source.variable().text() != null) {
                throw new CannotCopy(name + (source.type() == null ? "" : " (" + source.type() + ")") + " cannot cross:"
                        + " only null, booleans, numbers, strings, lists and maps with string keys (nested) and data"
                        + " frames can");
            } else {
                to.define(as, source.variable().value());
            }
        } catch (AgbScriptException e) {
            throw new CannotCopy(e.error().message());
        } catch (ScriptException | IllegalArgumentException | IllegalStateException e) {
            throw new CannotCopy(e.getMessage());
        }
        return to.variableSummary(as).map(VariableCopier::describe).orElse("");
    }

    /** The type and, for a table, its size: {@code DataFrame, 3 rows × 2 columns}. */
    static String describe(VariableSummary variable) {
        String type = variable.type() == null ? "" : variable.type();
        TableShape shape = variable.shape();
        if (shape == null) {
            return type;
        }
        return (type.isEmpty() ? "" : type + ", ") + count(shape.rows(), "row") + " × " + count(shape.columns().size(), "column");
    }

    static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
