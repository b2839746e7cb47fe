/** The app's topology face. */
package io.culvert.app.topology;
