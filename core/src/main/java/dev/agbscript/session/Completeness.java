package dev.agbscript.session;

/**
 * Whether a piece of code is ready to run, as a kernel's {@code is_complete_request} answers.
 *
 * @param indent the indentation a continuation line should start with, when {@link Status#INCOMPLETE}
 */
public record Completeness(Status status, String indent) {
    public enum Status { COMPLETE, INCOMPLETE, INVALID, UNKNOWN }

    public static final Completeness UNKNOWN = new Completeness(Status.UNKNOWN, "");

    public Completeness {
        indent = indent == null ? "" : indent;
    }
}
