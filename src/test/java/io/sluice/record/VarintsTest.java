package io.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.junit.jupiter.api.Test;

class VarintsTest {

    @Test
    void intsMatchKafkasEncodingAndSize() {
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            int value = i < 1000 ? i - 500 : random.nextInt() >> random.nextInt(32);
            ByteBuffer ours = ByteBuffer.allocate(5);
            ByteBuffer theirs = ByteBuffer.allocate(5);
            Varints.writeVarint(value, ours);
            ByteUtils.writeVarint(value, theirs);
            assertThat(ours.flip()).isEqualTo(theirs.flip());
            assertThat(Varints.sizeOfVarint(value)).isEqualTo(ByteUtils.sizeOfVarint(value));
            assertThat(Varints.readVarint(ours.duplicate())).isEqualTo(value);
        }
    }

    @Test
    void longsMatchKafkasEncodingAndSize() {
        Random random = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            ByteBuffer ours = ByteBuffer.allocate(10);
            ByteBuffer theirs = ByteBuffer.allocate(10);
            Varints.writeVarlong(value, ours);
            ByteUtils.writeVarlong(value, theirs);
            assertThat(ours.flip()).isEqualTo(theirs.flip());
            assertThat(Varints.sizeOfVarlong(value)).isEqualTo(ByteUtils.sizeOfVarlong(value));
            assertThat(Varints.readVarlong(ours.duplicate())).isEqualTo(value);
        }
    }

    @Test
    void overlongVarintIsRejected() {
        ByteBuffer sixContinuationBytes = ByteBuffer.wrap(new byte[] {-1, -1, -1, -1, -1, 1});
        assertThatThrownBy(() -> Varints.readVarint(sixContinuationBytes))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("longer than 5 bytes");
    }

    @Test
    void varintCutShortIsTruncated() {
        assertThatThrownBy(() -> Varints.readVarint(ByteBuffer.wrap(new byte[] {-1})))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidRecordException.Reason.TRUNCATED));
    }
}
