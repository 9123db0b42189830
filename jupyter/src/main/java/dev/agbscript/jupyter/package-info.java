/**
 * The Jupyter messaging protocol as a client speaks it, over any transport ({@link
 * dev.agbscript.jupyter.KernelConnection}): requests and replies ({@link dev.agbscript.jupyter.KernelClient}),
 * the folding of an execution's messages into a result, and the reading of each kernel's errors ({@link
 * dev.agbscript.jupyter.ErrorParser}). Nothing here knows of ZeroMQ or of processes.
 */
package dev.agbscript.jupyter;
