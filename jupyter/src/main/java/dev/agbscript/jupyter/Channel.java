package dev.agbscript.jupyter;

/** The message channels of a Jupyter kernel. (The heartbeat carries no messages; a transport keeps it.) */
public enum Channel {
    /** Requests and their replies: execute, kernel_info, complete, is_complete. */
    SHELL,
    /** Requests served ahead of the shell queue: interrupt, shutdown. */
    CONTROL,
    /** What the kernel publishes: status, streams, displays, results, errors. In order. */
    IOPUB,
    /** The kernel's requests for input from the user ({@code input_request}). */
    STDIN
}
