package dev.agbscript.session;

/**
 * One kernel's hold on a slot of the {@link KernelSlots}, from before it starts until it has stopped. Its
 * methods may be called from any thread; each takes effect once.
 */
public interface KernelLease extends AutoCloseable {
    /**
     * The kernel answers (its prelude ran): its turn to start ends, so that the next queued start begins, and
     * the time since its turn began is counted as its start time.
     */
    void started();

    /** The kernel has stopped, or its start failed: its slot (and its turn, if still held) is free again. */
    @Override
    void close();
}
