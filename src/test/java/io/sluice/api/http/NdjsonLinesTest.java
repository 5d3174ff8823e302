package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** However a stream is cut into chunks, the lines (and their numbers) come out as splitting the whole body gives. */
class NdjsonLinesTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void linesDoNotDependOnHowTheBodyIsChunked(int seed) {
        Random random = new Random(seed);
        StringBuilder body = new StringBuilder();
        int lines = random.nextInt(40);
        for (int i = 0; i < lines; i++) {
            body.append(random.nextInt(5) == 0 ? "" : "{\"value\":\"é" + "x".repeat(random.nextInt(50)) + "\"}\r")
                    .append('\n');
        }
        if (random.nextBoolean()) {
            body.append("{\"last\":true}");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

        List<String> expected = new ArrayList<>(Arrays.asList(body.toString().split("\n", -1)));
        if (expected.get(expected.size() - 1).isEmpty()) {
            expected.remove(expected.size() - 1);
        }
        assertThat(split(chunks(bytes, random), 1000)).as("seed " + seed).isEqualTo(numbered(expected));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3})
    void aLineOverTheLimitFailsTheStreamAfterTheLinesBeforeIt(int seed) {
        Random random = new Random(seed);
        byte[] bytes = ("a\nbb\n" + "c".repeat(30) + "\nd\n").getBytes(StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        lines(chunks(bytes, random), 10)
                .doOnNext(seen::add)
                .onErrorResume(e -> {
                    failures.add(e);
                    return Mono.empty();
                })
                .blockLast();
        assertThat(seen).containsExactly("0:a", "1:bb");
        assertThat(failures).singleElement().isInstanceOf(DataBufferLimitException.class);
    }

    private static List<String> numbered(List<String> lines) {
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            numbered.add(i + ":" + lines.get(i));
        }
        return numbered;
    }

    private static List<String> split(List<byte[]> chunks, int limit) {
        return lines(chunks, limit).collectList().block();
    }

    private static Flux<String> lines(List<byte[]> chunks, int limit) {
        NdjsonLines lines = new NdjsonLines(limit);
        Flux<DataBuffer> buffers = Flux.fromIterable(chunks).map(DefaultDataBufferFactory.sharedInstance::wrap);
        return buffers.<NdjsonLines.Group>handle(lines::accept)
                .concatWith(Mono.fromSupplier(lines::finish))
                .concatMapIterable(group -> {
                    List<String> texts = new ArrayList<>();
                    for (int i = 0; i < group.count(); i++) {
                        int start = group.starts()[i];
                        texts.add((group.firstLine() + i) + ":"
                                + new String(group.data(), start, group.ends()[i] - start, StandardCharsets.UTF_8));
                    }
                    return texts;
                });
    }

    private static List<byte[]> chunks(byte[] bytes, Random random) {
        List<byte[]> chunks = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int size = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 5 : 200));
            chunks.add(Arrays.copyOfRange(bytes, at, at + size));
            at += size;
        }
        return chunks;
    }
}
