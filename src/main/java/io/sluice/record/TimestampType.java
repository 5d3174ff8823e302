package io.sluice.record;

/**
 * Which clock a batch's timestamps come from: the producer's ({@link #CREATE_TIME}) or the broker's at append
 * ({@link #LOG_APPEND_TIME}). Bit 3 of the batch attributes; Kafka's topic setting {@code message.timestamp.type}.
 */
public enum TimestampType {
    CREATE_TIME("CreateTime"),
    LOG_APPEND_TIME("LogAppendTime");

    static final int ATTRIBUTE_BIT = 0x08;

    private final String kafkaName;

    TimestampType(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka uses in topic configs: {@code CreateTime} or {@code LogAppendTime}. */
    public String kafkaName() {
        return kafkaName;
    }

    /** Parses Kafka's config value; throws {@link IllegalArgumentException} naming the accepted values. */
    public static TimestampType fromKafkaName(String name) {
        for (TimestampType type : values()) {
            if (type.kafkaName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("expected CreateTime or LogAppendTime, got '" + name + "'");
    }

    static TimestampType fromAttributes(short attributes) {
        return (attributes & ATTRIBUTE_BIT) != 0 ? LOG_APPEND_TIME : CREATE_TIME;
    }
}
