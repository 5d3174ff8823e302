package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NdjsonProduceIT extends ServerIT {

    @Test
    void eachLineIsAnsweredWhileTheRequestIsStillStreaming() throws IOException {
        String topic = createTopic("stream", 1);
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            ChunkedLines in = new ChunkedLines(socket.getInputStream());
            out.write(("POST /topics/" + topic + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            for (int i = 0; i < 3; i++) {
                writeChunk(out, "{\"value\":" + i + "}\n");
                if (i == 0) {
                    assertThat(in.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                }
                // the answer arrives before the next line is even sent
                JsonNode answer = ApiClient.JSON.readTree(in.nextLine());
                assertThat(answer.get("offset").longValue()).isEqualTo(i);
                assertThat(answer.get("partition").intValue()).isZero();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.nextLine()).isNull();
        }
        assertThat(api.get("/topics/" + topic + "/partitions/0/offsets")
                        .expect(200)
                        .get("end_offset")
                        .longValue())
                .isEqualTo(3);
    }

    @Test
    void aBadLineGetsAnErrorLineAndTheStreamGoesOn() {
        String topic = createTopic("ndjson", 2);
        String body =
                "{\"key\":\"a\",\"value\":1}\n{broken\n\n{\"value\":3,\"partition\":9}\n{\"value\":4,\"partition\":1}\n";

        ApiClient.Response response =
                api.send("POST", "/topics/" + topic, "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> lines =
                response.text().lines().map(ApiClient.JSON::readTree).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).has("offset")).isTrue();
        assertThat(lines.get(1).get("error_code").intValue()).isEqualTo(40001);
        assertThat(lines.get(1).get("message").stringValue()).contains("line 1");
        assertThat(lines.get(2).get("error_code").intValue()).isEqualTo(40402);
        assertThat(lines.get(3).get("partition").intValue()).isEqualTo(1);
    }

    @Test
    void aLongStreamGetsOneAnswerPerLineInOrderAcrossManyChunks() {
        String topic = createTopic("ndjson-long", 2);
        StringBuilder body = new StringBuilder();
        int lines = 6_000;
        for (int i = 0; i < lines; i++) {
            body.append(
                            i % 997 == 500
                                    ? "{\"value\":" + i // cut short: an error line, the stream goes on
                                    : "{\"partition\":" + (i % 2) + ",\"value\":\"" + i + "x".repeat(i % 700) + "\"}")
                    .append(i % 3 == 0 ? "\r\n" : "\n");
        }

        ApiClient.Response response = api.send(
                "POST",
                "/topics/" + topic,
                "application/x-ndjson",
                body.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> answers =
                response.text().lines().map(ApiClient.JSON::readTree).toList();
        assertThat(answers).hasSize(lines);
        long[] next = new long[2];
        for (int i = 0; i < lines; i++) {
            JsonNode answer = answers.get(i);
            if (i % 997 == 500) {
                assertThat(answer.get("error_code").intValue()).as("line " + i).isEqualTo(40001);
                assertThat(answer.get("message").stringValue()).contains("line " + i);
            } else {
                assertThat(answer.get("partition").intValue()).as("line " + i).isEqualTo(i % 2);
                assertThat(answer.get("offset").longValue()).as("line " + i).isEqualTo(next[i % 2]++);
            }
        }
        JsonNode last = api.get("/topics/" + topic + "/partitions/1/records?offset=" + (next[1] - 1))
                .expect(200);
        assertThat(last.get(0).get("value").stringValue()).isEqualTo((lines - 1) + "x".repeat((lines - 1) % 700));
    }

    @Test
    void replayingAStreamWithAnIdempotencyKeyWritesNothingTwice() {
        String topic = createTopic("ndjson-idem", 1);
        byte[] body = "{\"value\":1}\n{\"value\":2}\n".getBytes(StandardCharsets.UTF_8);

        String first = api.send("POST", "/topics/" + topic, "application/x-ndjson", body, "Idempotency-Key", "s1")
                .text();
        String replay = api.send("POST", "/topics/" + topic, "application/x-ndjson", body, "Idempotency-Key", "s1")
                .text();

        assertThat(replay).isEqualTo(first);
        assertThat(api.get("/topics/" + topic + "/partitions/0/offsets")
                        .expect(200)
                        .get("end_offset")
                        .longValue())
                .isEqualTo(2);
    }

    private static void writeChunk(OutputStream out, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads an HTTP/1.1 response with a chunked body as lines, blocking only as far as the next line. */
    private static final class ChunkedLines {
        private final InputStream in;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private String statusLine;
        private boolean headersRead;
        private boolean ended;

        ChunkedLines(InputStream in) {
            this.in = in;
        }

        String statusLine() throws IOException {
            readHeaders();
            return statusLine;
        }

        /** The next body line, or null at the end of the body. */
        String nextLine() throws IOException {
            readHeaders();
            while (true) {
                String buffered = pending.toString(StandardCharsets.UTF_8);
                int newline = buffered.indexOf('\n');
                if (newline >= 0) {
                    pending.reset();
                    pending.write(buffered.substring(newline + 1).getBytes(StandardCharsets.UTF_8));
                    return buffered.substring(0, newline);
                }
                if (ended) {
                    return null;
                }
                readChunk();
            }
        }

        private void readHeaders() throws IOException {
            if (headersRead) {
                return;
            }
            statusLine = rawLine();
            while (!rawLine().isEmpty()) {
                // headers are not needed
            }
            headersRead = true;
        }

        private void readChunk() throws IOException {
            int size = Integer.parseInt(rawLine().trim(), 16);
            if (size == 0) {
                rawLine();
                ended = true;
                return;
            }
            pending.write(in.readNBytes(size));
            rawLine();
        }

        private String rawLine() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
