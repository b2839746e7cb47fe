/** The app's server face: create servers with a wizard, start and stop them, manage client certificates, watch connected instances. */
package io.culvert.app.server;
