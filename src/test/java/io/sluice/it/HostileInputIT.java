package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Hostile input over a real socket: thousands of malformed and adversarial requests generated from a seed (bad
 * and deeply nested JSON, huge numbers, invalid base64 and UTF-8, oversize bodies, headers and request lines,
 * path tricks in topic names, odd methods, content types and query parameters, bodies that never finish).
 * Every answer is a 4xx JSON error, those of the HTTP codec (414, 431, 400) included (or the connection is closed;
 * or a 2xx where a mutation happens to be valid),
 * never a 5xx; afterwards the server is healthy, the heap did not grow without bound and no file appeared
 * outside the data dir. {@code -Dsluice.fuzz.inputs=N} and {@code -Dsluice.fuzz.seed=S} for longer runs.
 */
class HostileInputIT extends ServerIT {

    private static final int INPUTS = Integer.getInteger("sluice.fuzz.inputs", 4000);
    private static final long SEED = Long.getLong("sluice.fuzz.seed", 7);
    private static final String MARK = "hxevil";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private static final String[] CONTENT_TYPES = {
        "application/json",
        "application/vnd.kafka.binary.v2+json",
        "application/vnd.kafka.json.v2+json",
        "application/vnd.sluice.text.v2+json",
        "application/x-ndjson",
        "application/json; charset=utf-7",
        "text/evil",
        "multipart/form-data; boundary=",
        "application/vnd.kafka.binary.v2+json; q=\"",
        "*/*",
        "",
        ";;;",
    };
    private static final String[] PATH_TRICKS = {
        "../" + MARK,
        "..%2f" + MARK,
        "%2e%2e",
        "%2e%2e%2f" + MARK,
        "%2E%2E%5C" + MARK,
        "..",
        ".",
        "%00" + MARK,
        MARK + "%0d%0aX-Injected:%201",
        MARK + "%ZZ",
        "%c0%ae%c0%ae%2f" + MARK,
        "%ff%fe",
        "a".repeat(300),
        "x".repeat(5000),
        "%e2%80%ae" + MARK,
        MARK + "%20space",
        "..\\..\\" + MARK,
    };

    private final List<String> problems = new ArrayList<>();
    private int answered;
    private int closed;
    private int codecRejections;

    @Test
    void noInputGetsAServerErrorOrHarmsTheServer() throws Exception {
        RawHttp http = new RawHttp(port);
        String topic = createTopic("hostile", 2);
        long heapBefore = usedHeapAfterGc();
        List<CompletableFuture<RawHttp.Answer>> slow = startSlowBodies(topic, 4);
        List<CompletableFuture<RawHttp.Answer>> unfinishedHeads = startUnfinishedHeads(2);
        Random random = new Random(SEED);
        for (int i = 0; i < INPUTS; i++) {
            Request r = generate(random, topic);
            check(r, http.exchange(r.bytes(), ANSWER_TIMEOUT));
        }
        for (CompletableFuture<RawHttp.Answer> s : slow) {
            RawHttp.Answer answer = s.get();
            // a JSON body gets 408; an NDJSON stream has answered 200 already and ends with a 40801 error line
            assertThat(answer.body()).as("slow body: %s", answer).contains("40801");
            assertThat(answer.status()).as("slow body: %s", answer).isIn(408, 200);
        }
        for (CompletableFuture<RawHttp.Answer> s : unfinishedHeads) {
            RawHttp.Answer answer = s.get();
            assertThat(answer.closedWithoutAnswer() || answer.status() == 408 || answer.status() == 400)
                    .as("unfinished head: %s", answer)
                    .isTrue();
        }
        System.out.printf(
                "hostile input: %d requests (seed %d): %d answered (%d rejected by the HTTP codec), %d closed%n",
                INPUTS, SEED, answered, codecRejections, closed);

        assertThat(problems).as("requests answered badly").isEmpty();
        assertThat(api.get("/actuator/health").text()).contains("\"UP\"");
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth").isLessThan(128L << 20);
        assertThat(filesNamed(MARK)).as("files outside the data dir").isEmpty();
    }

    private record Request(String what, byte[] bytes, boolean mayBeValid) {}

    private void check(Request r, RawHttp.Answer answer) {
        if (answer.closedWithoutAnswer()) {
            closed++;
            return;
        }
        answered++;
        int status = answer.status();
        boolean ok = status >= 400 && status < 500 ? answer.isJsonError() : r.mayBeValid() && status < 300;
        if (answer.isCodecRejection()) {
            codecRejections++;
        }
        if (!ok && problems.size() < 30) {
            problems.add(r.what() + " -> " + abbreviate(answer.toString()));
        }
    }

    private Request generate(Random random, String topic) {
        return switch (random.nextInt(9)) {
            case 0 -> badTopicJson(random);
            case 1 -> badProduceBody(random, topic);
            case 2 -> pathTrick(random, topic);
            case 3 -> badContentType(random, topic);
            case 4 -> badQuery(random, topic);
            case 5 -> oddMethod(random, topic);
            case 6 -> oversize(random, topic);
            case 7 -> hostileTopicName(random);
            default -> garbage(random);
        };
    }

    private static Request post(String what, String path, String type, byte[] body, boolean mayBeValid) {
        return new Request(what, RawHttp.request("POST", path, body, "Content-Type: " + type), mayBeValid);
    }

    private Request badTopicJson(Random random) {
        String valid = "{\"name\":\"" + MARK + random.nextInt(1000) + "\",\"partitions\":1}";
        int kind = random.nextInt(6);
        byte[] body = switch (kind) {
            case 0 -> Arrays.copyOf(utf8(valid), random.nextInt(valid.length()));
            case 1 -> flip(utf8(valid), random);
            case 2 -> nested(random.nextInt(5) == 0 ? 200_000 : 100 + random.nextInt(5000), random.nextBoolean());
            case 3 -> utf8("{\"name\":\"t" + random.nextInt(1000) + "\",\"partitions\":" + hugeNumber(random) + "}");
            case 4 -> utf8("{\"name\":\"t\",\"configs\":{\"retention.ms\":" + hugeNumber(random) + "}}");
            default -> invalidUtf8(valid, random);
        };
        // a flipped byte can leave valid JSON that names a legal topic
        return post("bad topic JSON", "/topics", "application/json", body, kind == 1);
    }

    private Request badProduceBody(Random random, String topic) {
        String record = switch (random.nextInt(8)) {
            case 0 -> "{\"value\":\"" + "@@not base64!!" + random.nextInt() + "\"}";
            case 1 -> "{\"value\":\"QUJD\",\"partition\":" + hugeNumber(random) + "}";
            case 2 -> "{\"value\":\"QUJD\",\"timestamp\":" + hugeNumber(random) + "}";
            case 3 -> "{\"value\":\"QUJD\",\"headers\":[{\"key\":1},{\"value\":\"x\"}]}";
            case 4 -> "{\"value\":\"QUJD\",\"headers\":\"" + "h".repeat(random.nextInt(100)) + "\"}";
            case 5 -> "{\"key\":{\"a\":[1,2]},\"value\":\"QUJD=\"}";
            case 6 -> "{\"value\":\"QUJD\",\"unknown\":true}";
            default -> "[]";
        };
        String body = random.nextBoolean() ? "{\"records\":[" + record + "]}" : "{\"records\":" + record + "}";
        byte[] bytes = random.nextInt(4) == 0 ? invalidUtf8(body, random) : utf8(body);
        String path = "/topics/" + topic + (random.nextBoolean() ? "" : "/partitions/" + random.nextInt(4));
        return post("bad produce body " + body, path, "application/vnd.kafka.binary.v2+json", bytes, false);
    }

    private Request pathTrick(Random random, String topic) {
        String trick = PATH_TRICKS[random.nextInt(PATH_TRICKS.length)];
        String path = switch (random.nextInt(6)) {
            case 0 -> "/topics/" + trick;
            case 1 -> "/topics/" + trick + "/partitions/0/records?offset=0";
            case 2 -> "/topics/" + topic + "/partitions/" + trick;
            case 3 -> "/topics/" + topic + "/partitions/" + trick + "/records";
            case 4 -> "/consumers/" + trick + "/instances/" + trick;
            default -> "/" + trick + "/topics";
        };
        if (random.nextBoolean()) {
            return post("path " + path, path, "application/json", utf8("{\"records\":[{\"value\":1}]}"), false);
        }
        String method = random.nextBoolean() ? "GET" : "DELETE";
        return new Request(method + " " + path, RawHttp.request(method, path, null), false);
    }

    private Request badContentType(Random random, String topic) {
        String type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        String body = random.nextBoolean() ? "{\"records\":[{\"value\":\"QUJD\"}]}" : "<xml/>";
        // an NDJSON stream (also what a wildcard type gets) answers 200 and reports bad lines in the stream
        boolean valid = type.contains("ndjson")
                || type.equals("*/*")
                || (body.startsWith("{")
                        && !type.contains("charset")
                        && (type.isEmpty() || type.startsWith("application/")));
        return post("content type " + type, "/topics/" + topic, type, utf8(body), valid);
    }

    private Request badQuery(Random random, String topic) {
        String[] params = {
            "offset=abc",
            "offset=" + hugeNumber(random),
            "offset=-1",
            "max_bytes=-5",
            "max_bytes=" + hugeNumber(random),
            "timeout=1e99",
            "timeout=-1",
            "max_records=0",
            "offset=%ZZ",
            "offset=1&offset=2",
            "timestamp=x",
            "&&&=",
            "offset=" + "9".repeat(random.nextInt(2000))
        };
        String query = params[random.nextInt(params.length)];
        String path = "/topics/" + topic + "/partitions/" + random.nextInt(3)
                + (random.nextBoolean() ? "/records?" : "/offsets?") + query;
        return new Request("query " + query, RawHttp.request("GET", path, null), true);
    }

    private Request oddMethod(Random random, String topic) {
        String[] methods = {"FOO", "TRACE", "PROPFIND", "PUT", "OPTIONS", "PATCH", "DELETE", "CONNECT", "get"};
        String method = methods[random.nextInt(methods.length)];
        String path = random.nextBoolean() ? "/topics/" + topic + "/partitions/0/records" : "/topics";
        return new Request(
                method + " " + path,
                RawHttp.request(method, path, utf8("{}"), "Content-Type: application/json"),
                false);
    }

    private Request oversize(Random random, String topic) {
        return switch (random.nextInt(4)) {
            case 0 -> post("oversize body", "/topics/" + topic, "application/json", new byte[300 * 1024], false);
            case 1 ->
                new Request(
                        "oversize header",
                        RawHttp.request(
                                "GET", "/topics", null, "X-Big: " + "b".repeat(16_000 + random.nextInt(50_000))),
                        false);
            case 2 -> {
                String[] many = new String[2000];
                Arrays.setAll(many, i -> "X-H" + i + ": v");
                yield new Request("many headers", RawHttp.request("GET", "/topics", null, many), false);
            }
            default ->
                new Request(
                        "oversize request line", RawHttp.request("GET", "/topics/" + "l".repeat(70_000), null), false);
        };
    }

    private Request hostileTopicName(Random random) {
        String[] names = {
            "../" + MARK,
            MARK + "/../../x",
            "\\u0000" + MARK,
            "\\r\\n" + MARK,
            "..",
            ".",
            "",
            " ",
            "a/b",
            MARK + "\\u202e",
            "con",
            "x".repeat(250),
            "\\ud800" + MARK,
            MARK + "\\u0007"
        };
        String name = names[random.nextInt(names.length)];
        boolean legal = name.matches("[a-zA-Z0-9._-]{1,249}") && !name.equals(".") && !name.equals("..");
        return post("topic name " + name, "/topics", "application/json", utf8("{\"name\":\"" + name + "\"}"), legal);
    }

    private Request garbage(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(2000)];
        random.nextBytes(bytes);
        if (random.nextBoolean()) {
            byte[] start = utf8("POST /topics HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes.length + "\r\n\r\n");
            byte[] all = Arrays.copyOf(start, start.length + bytes.length);
            System.arraycopy(bytes, 0, all, start.length, bytes.length);
            bytes = all;
        }
        // ends the head, so the server has a whole (garbage) request; heads that never end are checked apart
        byte[] ended = Arrays.copyOf(bytes, bytes.length + 4);
        System.arraycopy(utf8("\r\n\r\n"), 0, ended, bytes.length, 4);
        return new Request("garbage", ended, false);
    }

    /** Bodies that announce more bytes than they send and then stall: the server must give up on them. */
    private List<CompletableFuture<RawHttp.Answer>> startSlowBodies(String topic, int count) {
        List<CompletableFuture<RawHttp.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String path = "/topics/" + topic;
            String type = i % 2 == 0 ? "application/json" : "application/x-ndjson";
            answers.add(CompletableFuture.supplyAsync(slowBody(path, type)));
        }
        return answers;
    }

    private Supplier<RawHttp.Answer> slowBody(String path, String type) {
        return () -> {
            try (Socket socket = new Socket("localhost", port)) {
                socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
                byte[] head = RawHttp.request("POST", path, null, "Content-Type: " + type, "Content-Length: 1000");
                socket.getOutputStream().write(head);
                socket.getOutputStream().write(utf8("{\"records\":[{\"val"));
                socket.getOutputStream().flush();
                return RawHttp.read(socket.getInputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Request heads that never end (slowloris): the server closes them after server.netty.idle-timeout. */
    private List<CompletableFuture<RawHttp.Answer>> startUnfinishedHeads(int count) {
        List<CompletableFuture<RawHttp.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try (Socket socket = new Socket("localhost", port)) {
                    socket.setSoTimeout((int) ANSWER_TIMEOUT.multipliedBy(2).toMillis());
                    socket.getOutputStream().write(utf8("GET /topics HTTP/1.1\r\nHost: x\r\nX-Slow: "));
                    socket.getOutputStream().flush();
                    return RawHttp.read(socket.getInputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        return answers;
    }

    private static String hugeNumber(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "1" + "0".repeat(20 + random.nextInt(3000));
            case 1 -> "1e" + random.nextInt(Integer.MAX_VALUE);
            case 2 -> "-" + "9".repeat(30);
            case 3 -> "1.5";
            default -> "NaN";
        };
    }

    private static byte[] nested(int depth, boolean arrays) {
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return utf8(open.repeat(depth) + "1" + close.repeat(depth));
    }

    private static byte[] flip(byte[] bytes, Random random) {
        byte[] copy = bytes.clone();
        copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        return copy;
    }

    private static byte[] invalidUtf8(String json, Random random) {
        byte[] bytes = utf8(json);
        byte[][] bad = {
            {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}
        };
        int at = json.indexOf('"', json.indexOf(':')) + 1;
        byte[] insert = bad[random.nextInt(bad.length)];
        byte[] result = new byte[bytes.length + insert.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(bytes, at, result, at + insert.length, bytes.length - at);
        return result;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Files or directories whose name contains the mark, anywhere near the data dir but outside it. */
    private static List<Path> filesNamed(String mark) throws IOException {
        Path dataDir = dataDir().toAbsolutePath();
        List<Path> found = new ArrayList<>();
        for (Path root : List.of(dataDir.getParent(), Path.of("").toAbsolutePath())) {
            try (Stream<Path> all = Files.walk(root, 2)) {
                all.filter(p -> p.getFileName() != null
                                && p.getFileName().toString().contains(mark))
                        .filter(p -> !p.toAbsolutePath().startsWith(dataDir))
                        .forEach(found::add);
            } catch (UncheckedIOException e) {
                // other tests' temp dirs come and go while we walk
            }
        }
        return found;
    }
}
