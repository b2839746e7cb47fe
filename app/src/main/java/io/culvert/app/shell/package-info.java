/** The main window: navigation between the client, the server manager and the topology view. */
package io.culvert.app.shell;
