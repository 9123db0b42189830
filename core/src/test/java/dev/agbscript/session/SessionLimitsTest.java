package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The settings of the session manager: how they read, their defaults, and errors that name them. */
class SessionLimitsTest {
    private static final String[] PROPERTIES = {SessionLimits.MAX_KERNELS, SessionLimits.KERNEL_WAIT,
            SessionLimits.PARALLEL_STARTS, SessionLimits.EVICT_AFTER, SessionLimits.PRIVATE_IDLE,
            SessionLimits.NAMED_IDLE};

    @AfterEach
    void clear() {
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
    }

    @Test
    void lengthsOfTimeReadAsSecondsWithUnitsIsoOrOff() {
        String[][] cases = {{"30", "PT30S"}, {"2.5", "PT2.5S"}, {"500ms", "PT0.5S"}, {"30s", "PT30S"},
                {"10m", "PT10M"}, {"2h", "PT2H"}, {"1d", "PT24H"}, {"PT1M30S", "PT1M30S"}, {" 15 s ", "PT15S"},
                {"0", "PT0S"}};
        for (String[] c : cases) {
            System.setProperty("agb.test.duration", c[0]);
            assertEquals(Optional.of(Duration.parse(c[1])), Settings.duration("agb.test.duration", null,
                    Optional.empty()), c[0]);
        }
        for (String off : new String[] {"off", "OFF", "none"}) {
            System.setProperty("agb.test.duration", off);
            assertEquals(Optional.empty(), Settings.duration("agb.test.duration", null, Optional.of(Duration.ZERO)));
        }
        System.setProperty("agb.test.duration", "soon");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.duration("agb.test.duration", "AGB_TEST", Optional.empty()));
        assertTrue(e.getMessage().contains("agb.test.duration (AGB_TEST)") && e.getMessage().contains("'soon'"),
                e.getMessage());
        System.clearProperty("agb.test.duration");
        assertEquals(Optional.of(Duration.ofSeconds(7)),
                Settings.duration("agb.test.duration", null, Optional.of(Duration.ofSeconds(7))));
    }

    @Test
    void theDefaultsAreAMemorySizedCapAMinuteOfWaitAndNoIdleClose() {
        SessionLimits limits = SessionLimits.fromSettings();
        long memory = ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        assertEquals(Math.max(2, Math.min(128, memory / (300L << 20))), limits.maxKernels());
        assertEquals(Duration.ofSeconds(60), limits.kernelWait());
        assertEquals(Math.max(2, Runtime.getRuntime().availableProcessors()), limits.parallelStarts());
        assertEquals(Optional.of(Duration.ZERO), limits.evictAfter());
        assertEquals(Optional.empty(), limits.privateIdle());
        assertEquals(Optional.empty(), limits.namedIdle());
        assertEquals(SessionLimits.defaults(), limits);
    }

    @Test
    void theSettingsAreReadFromSystemProperties() {
        System.setProperty(SessionLimits.MAX_KERNELS, "4");
        System.setProperty(SessionLimits.KERNEL_WAIT, "90s");
        System.setProperty(SessionLimits.PARALLEL_STARTS, "3");
        System.setProperty(SessionLimits.EVICT_AFTER, "off");
        System.setProperty(SessionLimits.PRIVATE_IDLE, "10m");
        System.setProperty(SessionLimits.NAMED_IDLE, "1h");
        assertEquals(new SessionLimits(4, Duration.ofSeconds(90), 3, Optional.empty(),
                Optional.of(Duration.ofMinutes(10)), Optional.of(Duration.ofHours(1))), SessionLimits.fromSettings());
        System.setProperty(SessionLimits.KERNEL_WAIT, "off");
        assertEquals(ExecutionRequest.NO_TIMEOUT, SessionLimits.fromSettings().kernelWait(), "off waits for ever");
    }

    @Test
    void aBadValueNamesItsSetting() {
        System.setProperty(SessionLimits.MAX_KERNELS, "0");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, SessionLimits::fromSettings);
        assertTrue(zero.getMessage().contains("agb.kernels.max (AGB_KERNELS_MAX)"), zero.getMessage());
        System.setProperty(SessionLimits.MAX_KERNELS, "many");
        IllegalArgumentException many = assertThrows(IllegalArgumentException.class, SessionLimits::fromSettings);
        assertTrue(many.getMessage().contains("agb.kernels.max (AGB_KERNELS_MAX)"), many.getMessage());
        System.clearProperty(SessionLimits.MAX_KERNELS);
        System.setProperty(SessionLimits.PRIVATE_IDLE, "-5");
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, SessionLimits::fromSettings);
        assertTrue(negative.getMessage().contains("agb.session.idle (AGB_SESSION_IDLE)"), negative.getMessage());
    }
}
