/**
 * The Jupyter messaging protocol (5.3) on ZeroMQ frames: connection files, messages, HMAC-SHA256 signing.
 * Shared by the kernel client ({@code dev.agbscript.local}) and the kernels agb-script ships itself.
 */
package dev.agbscript.jupyter.zmq;
