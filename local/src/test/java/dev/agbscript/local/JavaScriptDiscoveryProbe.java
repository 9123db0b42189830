package dev.agbscript.local;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionException;

/** Run in a child JVM (its own discovery cache): prints what finding the JavaScript kernel gives. */
public final class JavaScriptDiscoveryProbe {
    public static void main(String[] args) {
        try {
            System.out.println("FOUND " + KernelSpecs.forLanguage(Language.JAVASCRIPT).argv());
        } catch (SessionException e) {
            System.out.println("ERROR " + e.getMessage());
        }
    }
}
