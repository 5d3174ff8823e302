package io.sluice.security;

/**
 * What a caller does to a resource. As in Kafka, an allowed {@link #READ}, {@link #WRITE}, {@link #DELETE} or
 * {@link #ALTER} implies {@link #DESCRIBE} (someone who may read a topic may see that it exists); a deny implies
 * nothing beyond itself.
 */
public enum Operation {
    READ,
    WRITE,
    CREATE,
    DELETE,
    DESCRIBE,
    ALTER;

    /** This operation's bit in an operation mask. */
    public int bit() {
        return 1 << ordinal();
    }

    /** The operations whose allowance implies {@link #DESCRIBE}. */
    static final int IMPLIES_DESCRIBE = READ.bit() | WRITE.bit() | DELETE.bit() | ALTER.bit();
}
