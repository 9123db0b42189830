/**
 * The Jupyter messaging protocol (5.3) on ZeroMQ: connection files, signed frames, and the socket loop of
 * both ends ({@link dev.agbscript.jupyter.zmq.SocketLoop}): the client's {@link
 * dev.agbscript.jupyter.zmq.ZmqKernelConnection} and the kernels agb-script ships itself.
 */
package dev.agbscript.jupyter.zmq;
