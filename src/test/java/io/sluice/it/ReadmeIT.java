package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs the README's curl walkthrough, exactly as written except for the port, against a real server, and checks
 * what it prints: the walkthrough works when pasted.
 */
class ReadmeIT extends ServerIT {

    @Test
    void walkthroughWorksAsWritten() throws Exception {
        String script = walkthrough().replace("localhost:8080", "localhost:" + port);

        String output = runBounded(script);

        List<JsonNode> answers = new ArrayList<>();
        output.lines().filter(line -> !line.isBlank()).forEach(line -> answers.add(ApiClient.JSON.readTree(line)));
        assertThat(answers.get(0).get("name").stringValue()).isEqualTo("even_nums");
        assertThat(answers.get(1).get("partitions")).hasSize(2);
        assertThat(answers.get(2).toString()).contains("\"even_nums\"", "\"odd_nums\"");
        assertThat(valuesOf(answers, "even_nums")).containsExactly(2, 4, 6, 8, 10, 12);
        assertThat(valuesOf(answers, "odd_nums")).containsExactlyInAnyOrder(1, 3, 5, 7, 9);
        assertThat(answers)
                .as("keyless odd numbers took both partitions in turn")
                .anyMatch(a -> a.isArray()
                        && !a.isEmpty()
                        && a.get(0).isObject()
                        && a.get(0).get("partition").intValue() == 1);
        JsonNode keyed = answers.stream()
                .filter(a -> a.has("offsets") && a.get("offsets").size() == 3)
                .findFirst()
                .orElseThrow();
        int alice = BuiltInPartitioner.partitionForKey("alice".getBytes(StandardCharsets.UTF_8), 2);
        assertThat(keyed.get("offsets").get(0).get("partition").intValue()).isEqualTo(alice);
        assertThat(keyed.get("offsets").get(2).get("partition").intValue()).isEqualTo(alice);
        JsonNode offsets = answers.get(answers.size() - 2);
        assertThat(offsets.get("end_offset").longValue()).isEqualTo(6);
        assertThat(answers.get(answers.size() - 1).get("error_code").intValue()).isEqualTo(41601);
    }

    /**
     * Runs the script with every curl call bounded ({@code max-time} from a private {@code .curlrc}, so the README
     * keeps its plain commands) and the whole script bounded too: a server that stops answering fails this test with
     * what was printed so far and a dump of the server's threads, instead of hanging the build.
     */
    private String runBounded(String script) throws Exception {
        Path curlHome = Files.createTempDirectory("readme-curl");
        Files.writeString(curlHome.resolve(".curlrc"), "max-time = 30\nconnect-timeout = 10\n");
        ProcessBuilder builder =
                new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + script).redirectErrorStream(true);
        builder.environment().put("CURL_HOME", curlHome.toString());
        Process bash = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(bash));
        boolean finished = bash.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
        }
        String printed = output.get(10, TimeUnit.SECONDS);
        assertThat(finished)
                .as(
                        "walkthrough finished within 90 s; printed:%n%s%nlisten socket:%n%s%nserver threads:%n%s",
                        printed, listenSocket(), threads())
                .isTrue();
        assertThat(bash.exitValue()).as(printed).isZero();
        return printed;
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The listen socket's queue (Recv-Q = connections waiting to be accepted), to tell a stalled accept apart. */
    private String listenSocket() {
        try {
            Process ss = new ProcessBuilder("ss", "-ltn", "sport = :" + port)
                    .redirectErrorStream(true)
                    .start();
            ss.waitFor(5, TimeUnit.SECONDS);
            return readAll(ss);
        } catch (IOException | InterruptedException e) {
            return "ss failed: " + e;
        }
    }

    private static String threads() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (info.getThreadName().startsWith("reactor-")
                    || info.getThreadName().startsWith("sluice-")) {
                dump.append(info);
            }
        }
        return dump.toString();
    }

    /** Values of the records read back (JSON arrays in the output) of one topic, in output order. */
    private static List<Integer> valuesOf(List<JsonNode> answers, String topic) {
        List<Integer> values = new ArrayList<>();
        for (JsonNode answer : answers) {
            if (answer.isArray()) {
                for (JsonNode record : answer) {
                    if (record.isObject() && record.get("topic").stringValue().equals(topic)) {
                        values.add(record.get("value").intValue());
                    }
                }
            }
        }
        return values;
    }

    private static String walkthrough() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int begin = readme.indexOf("<!-- walkthrough:begin -->");
        int end = readme.indexOf("<!-- walkthrough:end -->");
        assertThat(begin).isPositive();
        String block = readme.substring(begin, end);
        return block.substring(block.indexOf("```bash") + "```bash".length(), block.lastIndexOf("```"));
    }
}
