/** The app's server face. */
package io.culvert.app.server;
