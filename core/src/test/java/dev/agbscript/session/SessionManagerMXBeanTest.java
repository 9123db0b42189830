package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/** The manager's numbers as a JMX console reads them. */
class SessionManagerMXBeanTest {
    private static final String NAME = "dev.agbscript.test:type=SessionManager";

    /** A backend whose sandboxes answer every run with an empty result and run the languages they ran. */
    private static final class EmptyBackend implements Backend {
        @Override
        public String name() {
            return "empty";
        }

        @Override
        public Sandbox createSandbox() {
            return new Sandbox() {
                private final Set<Language> ran = java.util.EnumSet.noneOf(Language.class);

                @Override
                public String id() {
                    return "empty-1";
                }

                @Override
                public synchronized ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) {
                    ran.add(request.language());
                    return ExecutionResult.builder().build();
                }

                @Override
                public boolean interrupt(Language language) {
                    return false;
                }

                @Override
                public void restart(Language language) {}

                @Override
                public synchronized Set<Language> runningLanguages() {
                    Set<Language> running = java.util.EnumSet.noneOf(Language.class);
                    running.addAll(ran);
                    return running;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {}
    }

    @Test
    void theNumbersAreReadableOverJmxUntilTheManagerCloses() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(NAME);
        SessionManager manager = SessionManager.create(new EmptyBackend(), SessionLimits.defaults().withMaxKernels(9));
        manager.registerMXBean(NAME);
        try {
            manager.newSession().execute(Language.R, "1");
            assertEquals("empty", server.getAttribute(name, "Backend"));
            assertEquals(1, server.getAttribute(name, "SessionsOpen"));
            assertEquals(1, server.getAttribute(name, "KernelsLive"));
            assertEquals(9, server.getAttribute(name, "KernelsMax"));
            assertEquals(1L, server.getAttribute(name, "Evals"));
            TabularData byLanguage = (TabularData) server.getAttribute(name, "KernelsLiveByLanguage");
            assertEquals(1, byLanguage.size());
            assertEquals(Map.of("r", 1), Map.of((String) byLanguage.values().stream().map(row ->
                    ((javax.management.openmbean.CompositeData) row).get("key")).findFirst().orElseThrow(),
                    (Integer) byLanguage.values().stream().map(row ->
                    ((javax.management.openmbean.CompositeData) row).get("value")).findFirst().orElseThrow()));
            assertTrue((Double) server.getAttribute(name, "EvalMillisP50") >= 0);
        } finally {
            manager.close();
        }
        assertFalse(server.isRegistered(name), "a closed manager stayed registered");
    }
}
