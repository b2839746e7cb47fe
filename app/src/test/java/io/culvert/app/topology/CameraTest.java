package io.culvert.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CameraTest {

    @Test
    void fitCentresAndScalesTheBounds() {
        Camera c = new Camera();
        c.fit(-100, -50, 100, 50, 440, 440, 20, 8);
        assertEquals(2, c.zoom(), 1e-9, "200 wide into 400 usable pixels");
        assertEquals(220, c.screenX(0), 1e-9);
        assertEquals(220, c.screenY(0), 1e-9);
        assertEquals(20, c.screenX(-100), 1e-9);
        assertFalse(c.userMoved());
    }

    @Test
    void fitNeverZoomsBeyondTheLimit() {
        Camera c = new Camera();
        c.fit(-1, -1, 1, 1, 800, 600, 10, 1.4);
        assertEquals(1.4, c.zoom(), 1e-9);
    }

    @Test
    void zoomKeepsThePointUnderTheCursor() {
        Camera c = new Camera();
        c.fit(-100, -100, 100, 100, 400, 400, 0, 8);
        double wx = c.worldX(300);
        double wy = c.worldY(120);
        c.zoomAt(1.7, 300, 120);
        assertEquals(300, c.screenX(wx), 1e-9);
        assertEquals(120, c.screenY(wy), 1e-9);
        assertTrue(c.userMoved());
    }

    @Test
    void panMovesEverything() {
        Camera c = new Camera();
        c.pan(15, -5);
        assertEquals(15, c.screenX(0), 1e-9);
        assertEquals(-5, c.screenY(0), 1e-9);
        assertEquals(0, c.worldX(15), 1e-9);
    }
}
