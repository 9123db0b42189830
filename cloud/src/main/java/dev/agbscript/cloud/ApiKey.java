package dev.agbscript.cloud;

import java.util.Objects;

/**
 * The AGB API key. It only leaves this object as the value of the {@code authorization} header:
 * {@link #toString()} is redacted so that the key never reaches a log, an exception message or a dump.
 */
public final class ApiKey {
    private final String secret;

    private ApiKey(String secret) {
        this.secret = secret;
    }

    /** The key, trimmed; null or blank gives null (no key). */
    static ApiKey ofNullable(String value) {
        return value == null || value.isBlank() ? null : new ApiKey(value.trim());
    }

    public static ApiKey of(String value) {
        ApiKey key = ofNullable(value);
        if (key == null) {
            throw new IllegalArgumentException("The API key must not be blank");
        }
        return key;
    }

    /** The header value the service expects: {@code Bearer <key>}. */
    String bearer() {
        return secret.startsWith("Bearer ") ? secret : "Bearer " + secret;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey other && other.secret.equals(secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(secret);
    }

    @Override
    public String toString() {
        return "ApiKey{***}";
    }
}
