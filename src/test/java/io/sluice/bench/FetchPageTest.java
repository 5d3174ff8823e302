package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FetchPageTest {

    @Test
    void countsRecordsAndFindsTheLastOffsetAndValueLengths() {
        String body = "[{\"topic\":\"t\",\"partition\":0,\"offset\":41,\"timestamp\":1,\"key\":null,\"value\":\"abc\","
                + "\"headers\":[]},{\"topic\":\"t\",\"partition\":0,\"offset\":42,\"timestamp\":2,\"key\":{\"offset\":7},"
                + "\"value\":\"de\",\"headers\":[{\"key\":\"offset\",\"value\":\"x\"}]}]";

        FetchPage page = FetchPage.parse(body.getBytes(StandardCharsets.UTF_8), false);

        assertThat(page.count()).isEqualTo(2);
        assertThat(page.lastOffset()).isEqualTo(42);
        assertThat(page.valueChars()).isEqualTo(5);
        assertThat(FetchPage.parse(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)), false))
                .as("streamed from a buffer")
                .usingRecursiveComparison()
                .isEqualTo(page);
    }

    @Test
    void anEmptyPageHasNoRecords() {
        FetchPage page = FetchPage.parse("[]".getBytes(StandardCharsets.UTF_8), true);

        assertThat(page.count()).isZero();
        assertThat(page.lastOffset()).isEqualTo(-1);
        assertThat(page.sendNanos()).isEmpty();
    }

    @Test
    void readsTheSendTimeAtTheStartOfEachValue() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"offset\":")
                    .append(i)
                    .append(",\"value\":\"")
                    .append(Pacer.timedValue(1_000 + i, 30))
                    .append("\"}");
        }
        FetchPage page = FetchPage.parse(body.append("]").toString().getBytes(StandardCharsets.UTF_8), true);

        assertThat(page.sendNanos()).hasSize(20).startsWith(1_000L, 1_001L).endsWith(1_019L);
    }
}
