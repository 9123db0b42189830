package dev.agbscript.cloud;

/**
 * The AGB session is gone (released, expired, reclaimed) and the call that found out never reached it, so
 * nothing ran: the sandbox may replace the session and make the call again there. Never leaves the package.
 */
final class SessionGoneException extends RuntimeException {
    SessionGoneException(String why, Throwable cause) {
        super(why, cause);
    }
}
