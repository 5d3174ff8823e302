package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpRequestDecoderSpec;
import reactor.netty.http.server.HttpServer;

/** Larger body chunks, and every decoder setting made before (Spring Boot's server properties) kept as it was. */
class RequestChunkCustomizerTest {

    @Test
    void raisesTheChunkSizeAndKeepsEveryOtherDecoderSetting() {
        HttpServer configured = HttpServer.create()
                .httpRequestDecoder(spec -> spec.maxInitialLineLength(777)
                        .maxHeaderSize(12_345)
                        .validateHeaders(false)
                        .initialBufferSize(256)
                        .allowDuplicateContentLengths(true)
                        .allowPartialChunks(false)
                        .h2cMaxContentLength(999));

        HttpRequestDecoderSpec decoder =
                RequestChunkCustomizer.largerChunks(configured).configuration().decoder();

        assertThat(decoder.maxChunkSize()).isEqualTo(64 * 1024);
        assertThat(decoder.maxInitialLineLength()).isEqualTo(777);
        assertThat(decoder.maxHeaderSize()).isEqualTo(12_345);
        assertThat(decoder.validateHeaders()).isFalse();
        assertThat(decoder.initialBufferSize()).isEqualTo(256);
        assertThat(decoder.allowDuplicateContentLengths()).isTrue();
        assertThat(decoder.allowPartialChunks()).isFalse();
        assertThat(decoder.h2cMaxContentLength()).isEqualTo(999);
    }

    @Test
    void neverLowersALargerChunkSize() {
        HttpServer configured = HttpServer.create().httpRequestDecoder(spec -> spec.maxChunkSize(1 << 20));

        assertThat(RequestChunkCustomizer.largerChunks(configured)
                        .configuration()
                        .decoder()
                        .maxChunkSize())
                .isEqualTo(1 << 20);
    }
}
