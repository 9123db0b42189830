package dev.agbscript.session;

import java.util.Map;

/**
 * {@link SessionStats} for JMX consoles: the engines' shared manager registers itself as
 * {@value SessionManagerMXBeans#NAME} (durations in milliseconds, maps keyed by language id).
 */
public interface SessionManagerMXBean {
    String getBackend();

    int getSessionsOpen();

    int getKernelsLive();

    Map<String, Integer> getKernelsLiveByLanguage();

    int getKernelsMax();

    int getKernelsStarting();

    int getKernelsQueued();

    Map<String, Integer> getPoolSizes();

    long getKernelStarts();

    double getKernelStartMillisP50();

    double getKernelStartMillisP90();

    long getSlotWaits();

    long getWaitFailures();

    long getReclaims();

    long getEvictions();

    long getIdleCloses();

    long getEvals();

    double getEvalMillisP50();

    double getEvalMillisP90();

    double getEvalMillisP99();
}
