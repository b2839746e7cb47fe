/** The headless command line: {@code culvert client|server|profile import|--version}. The only place that picks a logging backend. */
package io.culvert.cli;
