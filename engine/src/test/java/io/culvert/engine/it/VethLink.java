package io.culvert.engine.it;

/**
 * A veth pair joining two namespaces; immutable. It disappears when either namespace is deleted.
 *
 * @param nameA interface name inside namespace A
 * @param cidrA address with prefix on side A, for example {@code 10.201.1.1/24}
 * @param nameB interface name inside namespace B
 * @param cidrB address with prefix on side B
 */
public record VethLink(String nameA, String cidrA, String nameB, String cidrB) {

    /** Side A's address without the prefix length. */
    public String addrA() {
        return cidrA.substring(0, cidrA.indexOf('/'));
    }

    /** Side B's address without the prefix length. */
    public String addrB() {
        return cidrB.substring(0, cidrB.indexOf('/'));
    }
}
