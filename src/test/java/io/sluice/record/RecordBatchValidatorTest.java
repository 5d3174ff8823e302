package io.sluice.record;

import static io.sluice.record.InvalidRecordException.Reason.CORRUPT_CRC;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_MAGIC;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_OFFSET_DELTA;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_RECORD;
import static io.sluice.record.InvalidRecordException.Reason.INVALID_RECORD_COUNT;
import static io.sluice.record.InvalidRecordException.Reason.RECORD_TOO_LARGE;
import static io.sluice.record.InvalidRecordException.Reason.UNSUPPORTED_COMPRESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RecordBatchValidatorTest {

    private static RecordBatch twoRecords() {
        return new RecordBatchBuilder()
                .append(10L, new byte[] {1}, new byte[] {2, 3}, List.of(new Header("a", new byte[] {4})))
                .append(11L, null, new byte[] {5}, List.of())
                .build();
    }

    /** Applies a change to a copy of a valid batch, restores the CRC, and expects the validator to name the reason. */
    private static void assertRejected(Consumer<ByteBuffer> damage, InvalidRecordException.Reason reason) {
        ByteBuffer bytes = RecordBatchTest.copyOf(twoRecords());
        damage.accept(bytes);
        RecordBatch batch = RecordBatch.wrap(bytes);
        bytes.putInt(RecordBatch.CRC_OFFSET, (int) batch.computeChecksum());
        assertThatThrownBy(() -> RecordBatchValidator.validate(batch, 1 << 20))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void wellFormedBatchPasses() {
        assertThatCode(() -> RecordBatchValidator.validate(twoRecords(), 1 << 20))
                .doesNotThrowAnyException();
    }

    @Test
    void wrongMagicIsRejected() {
        assertRejected(b -> b.put(RecordBatch.MAGIC_OFFSET, (byte) 1), INVALID_MAGIC);
    }

    @Test
    void badCrcIsRejected() {
        ByteBuffer bytes = RecordBatchTest.copyOf(twoRecords());
        bytes.put(bytes.limit() - 1, (byte) 99);
        assertThatThrownBy(() -> RecordBatchValidator.validate(RecordBatch.wrap(bytes), 1 << 20))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(CORRUPT_CRC));
    }

    @Test
    void recordCountThatDisagreesWithTheRecordsIsRejected() {
        assertRejected(b -> b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 1), INVALID_OFFSET_DELTA);
        assertRejected(
                b -> {
                    b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 3);
                    b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 2);
                },
                INVALID_RECORD_COUNT);
        assertRejected(
                b -> {
                    b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 0);
                    b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, -1);
                },
                INVALID_RECORD_COUNT);
    }

    @Test
    void offsetDeltaOutOfSequenceIsRejected() {
        // Second record: length varint, attributes, timestamp delta, then its offset delta.
        assertRejected(b -> b.put(secondRecordStart(b) + 3, (byte) 4), INVALID_OFFSET_DELTA);
    }

    @Test
    void oversizedBatchIsRejected() {
        RecordBatch batch = twoRecords();
        assertThatThrownBy(() -> RecordBatchValidator.validate(batch, batch.sizeInBytes() - 1))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(RECORD_TOO_LARGE));
    }

    @Test
    void unsupportedCompressionIsRejectedByName() {
        assertRejected(b -> b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 4), UNSUPPORTED_COMPRESSION);
    }

    @Test
    void transactionalBatchesAreRejected() {
        assertRejected(b -> b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 0x10), INVALID_RECORD);
    }

    @Test
    void maxTimestampMustMatchTheRecords() {
        assertRejected(b -> b.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, 99L), INVALID_RECORD);
    }

    @Test
    void keyLengthPastTheEndIsRejected() {
        // First record: length varint, attributes, timestamp delta, offset delta, then the key length.
        assertRejected(b -> b.put(RecordBatch.RECORDS_OFFSET + 4, (byte) 100), INVALID_RECORD);
    }

    @Test
    void splitFindsEveryBatchAndRefusesATruncatedTail() {
        ByteBuffer first = twoRecords().buffer();
        ByteBuffer second = twoRecords().buffer();
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining());
        both.put(first).put(second).flip();

        assertThat(RecordBatches.split(both)).hasSize(2).allSatisfy(RecordBatch::ensureValid);
        assertThatThrownBy(() -> RecordBatches.split(both.duplicate().limit(both.limit() - 1)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("remain");
        assertThat(RecordBatches.split(ByteBuffer.allocate(0))).isEmpty();
    }

    private static int secondRecordStart(ByteBuffer batch) {
        ByteBuffer records = batch.duplicate().position(RecordBatch.RECORDS_OFFSET);
        int firstLength = Varints.readVarint(records);
        return records.position() + firstLength;
    }
}
