package dev.agbscript.session;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/** Registers a manager's numbers with the platform MBean server, and removes them when the manager closes. */
final class SessionManagerMXBeans {
    static final String NAME = "dev.agbscript:type=SessionManager";
    private static final System.Logger LOG = System.getLogger(SessionManagerMXBeans.class.getName());

    private SessionManagerMXBeans() {}

    /** Registers the manager under the name; a failure (a name taken, no JMX) only logs: metrics are optional. */
    static Runnable register(SessionManager manager, String name) {
        try {
            ObjectName objectName = new ObjectName(name);
            var server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName); // a closed manager's, replaced by the new shared one
            }
            server.registerMBean(new Bean(manager), objectName);
            return () -> {
                try {
                    server.unregisterMBean(objectName);
                } catch (JMException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Could not unregister " + name, e);
                }
            };
        } catch (JMException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not register " + name, e);
            return () -> {};
        }
    }

    private record Bean(SessionManager manager) implements SessionManagerMXBean {
        private SessionStats stats() {
            return manager.stats();
        }

        private static Map<String, Integer> byId(Map<Language, Integer> counts) {
            Map<String, Integer> map = new LinkedHashMap<>();
            counts.forEach((language, n) -> map.put(language.id(), n));
            return map;
        }

        private static double millis(Duration duration) {
            return duration.toNanos() / 1e6;
        }

        @Override
        public String getBackend() {
            return manager.backendName();
        }

        @Override
        public int getSessionsOpen() {
            return stats().sessionsOpen();
        }

        @Override
        public int getKernelsLive() {
            return stats().kernelsLiveTotal();
        }

        @Override
        public Map<String, Integer> getKernelsLiveByLanguage() {
            return byId(stats().kernelsLive());
        }

        @Override
        public int getKernelsMax() {
            return manager.limits().maxKernels();
        }

        @Override
        public int getKernelsStarting() {
            return stats().kernelsStarting();
        }

        @Override
        public int getKernelsQueued() {
            return stats().kernelsQueued();
        }

        @Override
        public Map<String, Integer> getPoolSizes() {
            return byId(stats().poolSizes());
        }

        @Override
        public long getKernelStarts() {
            return stats().kernelStarts();
        }

        @Override
        public double getKernelStartMillisP50() {
            return millis(stats().startTimes().p50());
        }

        @Override
        public double getKernelStartMillisP90() {
            return millis(stats().startTimes().p90());
        }

        @Override
        public long getSlotWaits() {
            return stats().slotWaits().count();
        }

        @Override
        public long getWaitFailures() {
            return stats().waitFailures();
        }

        @Override
        public long getReclaims() {
            return stats().reclaims();
        }

        @Override
        public long getEvictions() {
            return stats().evictions();
        }

        @Override
        public long getIdleCloses() {
            return stats().idleCloses();
        }

        @Override
        public long getEvals() {
            return stats().evals().count();
        }

        @Override
        public double getEvalMillisP50() {
            return millis(stats().evals().p50());
        }

        @Override
        public double getEvalMillisP90() {
            return millis(stats().evals().p90());
        }

        @Override
        public double getEvalMillisP99() {
            return millis(stats().evals().p99());
        }
    }
}
