/** The OpenVPN client: a sans-I/O session state machine, the options it pulls, and the runner that gives it threads, sockets and a device. */
package io.culvert.engine.client;
