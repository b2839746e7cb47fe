package io.culvert.engine.fuzz;

/** The fuzz targets' assertion: an {@link AssertionError}, which the Jazzer driver reports as a finding. Stateless. */
final class Oracle {
    private Oracle() {}

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
