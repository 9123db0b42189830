package dev.agbscript.repl;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A spinner with the elapsed time, shown while a kernel starts (at once) or a run takes longer than a
 * second. It draws through the {@link Console}, which erases it whenever real output arrives.
 */
final class ProgressIndicator implements AutoCloseable {
    private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static final Duration QUIET_PERIOD = Duration.ofSeconds(1);

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "agb-repl-spinner");
        thread.setDaemon(true);
        return thread;
    });
    private final Console console;

    ProgressIndicator(Console console) {
        this.console = console;
    }

    /** A spinner being shown; closing it removes it. */
    interface Spinner extends AutoCloseable {
        @Override
        void close();
    }

    /** Starts showing {@code what}, the elapsed time and the hint. */
    Spinner show(String what, String hint, boolean immediately) {
        if (!console.capabilities().interactive()) {
            return () -> { };
        }
        long start = System.nanoTime();
        long delay = immediately ? 0 : QUIET_PERIOD.toMillis();
        int[] frame = {0};
        boolean[] done = {false};
        // Ticks and the final erase both hold the console's lock, so no tick can draw after the erase.
        ScheduledFuture<?> task = ticker.scheduleAtFixedRate(() -> {
            synchronized (console) {
                if (!done[0]) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    console.status(String.format("%c %s %.1fs%s",
                            FRAMES.charAt(frame[0]++ % FRAMES.length()), what, seconds, hint));
                }
            }
        }, delay, 100, TimeUnit.MILLISECONDS);
        return () -> {
            task.cancel(false);
            synchronized (console) {
                done[0] = true;
                console.status("");
            }
        };
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
