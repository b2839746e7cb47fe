package io.culvert.app.common;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;

/** Light and dark themes (AtlantaFX Primer). */
public enum Theme {
    /** Primer light. */
    LIGHT,
    /** Primer dark. */
    DARK;

    /**
     * The stylesheet every window adds on top of the theme (the main window's root, each dialog through
     * {@link Fit#dialog}): a focus ring that stands out in light and dark.
     */
    public static final String STYLESHEET = Theme.class.getResource("app.css").toExternalForm();

    public void apply() {
        Application.setUserAgentStylesheet(this == DARK ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }
}
