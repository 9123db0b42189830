package dev.agbscript.session;

/** Reads a setting from a Java system property first, then from an environment variable. */
public final class Settings {
    private Settings() {}

    public static String get(String property, String environmentVariable) {
        String value = System.getProperty(property);
        if (value != null) {
            return value;
        }
        return environmentVariable == null ? null : System.getenv(environmentVariable);
    }
}
