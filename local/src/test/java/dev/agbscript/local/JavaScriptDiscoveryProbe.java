package dev.agbscript.local;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionException;

/**
 * Run in a child JVM (its own discovery cache): prints what finding the kernel of the language named by the first
 * argument (JavaScript without one) gives.
 */
public final class JavaScriptDiscoveryProbe {
    public static void main(String[] args) {
        try {
            Language language = args.length > 0 ? Language.valueOf(args[0]) : Language.JAVASCRIPT;
            System.out.println("FOUND " + KernelSpecs.forLanguage(language).argv());
        } catch (SessionException e) {
            System.out.println("ERROR " + e.getMessage());
        }
    }
}
