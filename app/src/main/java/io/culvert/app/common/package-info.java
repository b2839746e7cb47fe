/** What every feature of the app shares: the bridge from engine threads to the FX thread, strings, theme. */
package io.culvert.app.common;
