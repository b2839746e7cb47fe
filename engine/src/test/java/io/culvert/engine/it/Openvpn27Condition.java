package io.culvert.engine.it;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks that {@link Openvpn27Test} has its OpenVPN 2.7 binary. Outside CI a missing binary disables the test with
 * the reason; with {@code CI=true} the test runs into {@link #beforeEach} and fails there. Stateless.
 */
public final class Openvpn27Condition implements ExecutionCondition, BeforeEachCallback {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return result(StockOpenvpn.why27Missing(), NetnsCondition.isCi());
    }

    static ConditionEvaluationResult result(Optional<String> missing, boolean ci) {
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("OpenVPN 2.7 at hand");
        }
        return ci ? ConditionEvaluationResult.enabled("CI: will fail in beforeEach")
                : ConditionEvaluationResult.disabled("OpenVPN 2.7 test skipped: " + missing.get());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        StockOpenvpn.why27Missing().ifPresent(missing -> {
            throw new AssertionError("CI=true but the OpenVPN 2.7 test cannot run: " + missing);
        });
        NetnsCondition.announce(context, "OpenVPN 2.7", StockOpenvpn.openvpn27());
    }
}
