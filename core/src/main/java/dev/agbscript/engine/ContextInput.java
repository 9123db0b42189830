package dev.agbscript.engine;

import dev.agbscript.session.InputSource;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import javax.script.ScriptContext;

/**
 * The input a {@link ScriptContext} gives the code: the {@link InputSource} in the context attribute
 * {@value AgbScriptEngine#INPUT} when the host put one there (the REPL does), else the context's reader (JSR-223's
 * input, {@code System.in} unless the host set another; jrunscript's is the terminal), with the prompt written to
 * the context's writer. A context without a reader gives none: code that asks fails at once, saying how to give
 * some.
 */
final class ContextInput {
    static final String NO_READER = "the ScriptContext has no reader: give it one (ScriptContext.setReader), or an"
            + " InputSource in the context attribute " + AgbScriptEngine.INPUT;

    private ContextInput() {}

    static InputSource of(ScriptContext context) {
        if (context.getAttribute(AgbScriptEngine.INPUT) instanceof InputSource source) {
            return source;
        }
        Reader reader = context.getReader();
        return reader == null ? InputSource.none(NO_READER) : new ReaderInput(reader, context.getWriter());
    }

    /** Lines of a reader, read a character at a time so that nothing past the line is taken from it. */
    private record ReaderInput(Reader reader, Writer prompts) implements InputSource {
        @Override
        public String readLine(String prompt, boolean password) throws IOException {
            if (prompts != null && !prompt.isEmpty()) {
                prompts.write(prompt);
                prompts.flush();
            }
            StringBuilder line = new StringBuilder();
            synchronized (reader) { // engines sharing a context (System.in) take whole lines each
                for (int c; (c = reader.read()) >= 0; ) {
                    if (c == '\n') {
                        return stripCarriageReturn(line);
                    }
                    line.append((char) c);
                }
            }
            return line.length() == 0 ? null : line.toString();
        }

        private static String stripCarriageReturn(StringBuilder line) {
            int end = line.length();
            return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }
    }
}
