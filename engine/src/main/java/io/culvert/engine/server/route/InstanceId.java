package io.culvert.engine.server.route;

/**
 * Identifies one connected client instance inside the server (the server uses its peer-id). Instances are immutable.
 *
 * @param value a non-negative number, unique among the instances connected at the same time
 */
public record InstanceId(int value) implements Endpoint, Comparable<InstanceId> {

    public InstanceId {
        if (value < 0) {
            throw new IllegalArgumentException("negative instance id: " + value);
        }
    }

    @Override
    public int compareTo(InstanceId other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "#" + value;
    }
}
