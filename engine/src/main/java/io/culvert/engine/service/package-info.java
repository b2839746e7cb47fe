/** culvertd: hosts the engine with its privileges and serves it to authorised local users over a Unix socket. */
package io.culvert.engine.service;
