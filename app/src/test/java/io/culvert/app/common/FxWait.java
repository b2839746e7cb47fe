package io.culvert.app.common;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testfx.util.WaitForAsyncUtils;

/** Waiting in TestFX tests for what the screen shows. */
public final class FxWait {
    private FxWait() {}

    /**
     * Waits up to {@code seconds} until {@code condition} holds, reading it on the FX thread so it never sees a
     * half-applied update, then lets pending FX events run; a timeout names {@code what}.
     */
    public static void until(String what, int seconds, Callable<Boolean> condition) throws TimeoutException {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
            WaitForAsyncUtils.waitForFxEvents();
        } catch (TimeoutException e) {
            throw new TimeoutException("waited " + seconds + " s for: " + what);
        }
    }
}
