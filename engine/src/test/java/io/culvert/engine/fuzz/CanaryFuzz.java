package io.culvert.engine.fuzz;

/** A target with a planted bug (input starting "CULV"), proving that {@link FuzzRun} reports findings. */
public final class CanaryFuzz {
    private CanaryFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length >= 4 && data[0] == 'C' && data[1] == 'U' && data[2] == 'L' && data[3] == 'V') {
            throw new IllegalStateException("planted bug");
        }
    }
}
