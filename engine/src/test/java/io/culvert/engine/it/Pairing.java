package io.culvert.engine.it;

/** Which implementation runs at each end of a tunnel, client↔server, for tests and benchmarks that compare them. */
public enum Pairing {
    CULVERT_CULVERT("Culvert↔Culvert", true, true),
    CULVERT_STOCK("Culvert↔stock", true, false),
    STOCK_CULVERT("stock↔Culvert", false, true),
    STOCK_STOCK("stock↔stock", false, false);

    private final String label;
    private final boolean culvertClient;
    private final boolean culvertServer;

    Pairing(String label, boolean culvertClient, boolean culvertServer) {
        this.label = label;
        this.culvertClient = culvertClient;
        this.culvertServer = culvertServer;
    }

    /** Column heading: client↔server. */
    public String label() {
        return label;
    }

    public boolean culvertClient() {
        return culvertClient;
    }

    public boolean culvertServer() {
        return culvertServer;
    }
}
