package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a results file (lines {@code id<TAB>system<TAB>primary<TAB>text}, see {@link Result}) as a markdown
 * table with Sluice and Kafka side by side and their ratio, prints it, and (with {@code --benchmarks FILE})
 * replaces the generated section of BENCHMARKS.md between {@code <!-- results:start -->} and
 * {@code <!-- results:end -->}, keeping everything else (such as profiling findings) as written.
 *
 * <pre>BenchReport --results FILE --facts FILE [--title TEXT] [--benchmarks BENCHMARKS.md]</pre>
 */
public final class BenchReport {

    static final String START = "<!-- results:start -->";
    static final String END = "<!-- results:end -->";

    /** How a ratio reads: throughput is better higher, times are better lower. */
    enum Kind {
        THROUGHPUT,
        LATENCY,
        TIME,
        INFO
    }

    /** One table row: Sluice's result id, Kafka's, and what the issue asks of the ratio. */
    record Row(
            String label,
            String sluiceId,
            String kafkaId,
            Kind kind,
            String goal,
            String sluiceAbsent,
            String kafkaAbsent) {
        Row(String label, String sluiceId, String kafkaId, Kind kind, String goal) {
            this(label, sluiceId, kafkaId, kind, goal, "not run", "not run");
        }
    }

    private BenchReport() {}

    public static void main(String[] argv) throws IOException {
        BenchArgs args = BenchArgs.parse(argv, 0);
        Map<String, String[]> results = read(Path.of(args.string("results")));
        String facts = Files.readString(Path.of(args.string("facts")));
        String section = "## Latest run\n\n" + args.string("title", "") + "\n\n" + facts.strip() + "\n\n"
                + table(results) + "\n" + cpuSection(results);
        System.out.println(section);
        String target = args.string("benchmarks", "");
        if (!target.isEmpty()) {
            write(Path.of(target), section);
        }
    }

    private static String cpuSection(Map<String, String[]> results) {
        String cpu = cpuTable(results);
        return cpu.isEmpty()
                ? ""
                : "### Server CPU per record\n\nCPU time (user + system, from /proc) the broker process spent per record"
                        + " during each run above, client excluded.\n\n" + cpu + "\n";
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String size : List.of("100b", "1000b")) {
            for (String parts : List.of("1p", "6p")) {
                String what = (size.equals("100b") ? "100 B" : "1,000 B") + ", " + parts.replace("p", " partition")
                        + (parts.equals("6p") ? "s" : "");
                String kafka = "produce-" + size + "-" + parts;
                rows.add(new Row(
                        "produce, JSON batches, " + what,
                        "produce-json-" + size + "-" + parts,
                        kafka,
                        Kind.THROUGHPUT,
                        "≥ 1.0"));
                rows.add(new Row(
                        "produce, binary (base64) batches, " + what,
                        "produce-binary-" + size + "-" + parts,
                        kafka,
                        Kind.THROUGHPUT,
                        "≥ 1.0"));
                rows.add(new Row(
                        "produce, NDJSON stream, " + what,
                        "produce-ndjson-" + size + "-" + parts,
                        kafka,
                        Kind.THROUGHPUT,
                        "≥ 1.0"));
            }
        }
        for (String size : List.of("100b", "1000b")) {
            for (String parts : List.of("1p", "6p")) {
                String what = (size.equals("100b") ? "100 B" : "1,000 B") + ", " + parts.replace("p", " partition")
                        + (parts.equals("6p") ? "s" : "");
                String kafka = "read-" + size + "-" + parts; // ConsumerPerformance, a group member
                rows.add(new Row(
                        "read to the end, partition reads (JSON), " + what,
                        "read-" + size + "-" + parts,
                        kafka,
                        Kind.THROUGHPUT,
                        "≥ 1.0"));
                rows.add(new Row(
                        "read to the end, partition reads (Kafka record batches), " + what,
                        "read-batches-" + size + "-" + parts,
                        kafka,
                        Kind.THROUGHPUT,
                        "≥ 1.0"));
                rows.add(new Row(
                        "read to the end, consumer group, one instance per partition (JSON), " + what,
                        "group-read-" + size + "-" + parts,
                        kafka,
                        Kind.THROUGHPUT,
                        "≥ 1.0"));
                rows.add(new Row(
                        "read to the end, consumer group (Kafka record batches), " + what,
                        "group-read-batches-" + size + "-" + parts,
                        kafka,
                        Kind.THROUGHPUT,
                        "≥ 1.0"));
            }
        }
        rows.add(new Row(
                "end-to-end at 1,000 rec/s, produce → long-poll (p99 compared)",
                "e2e-longpoll",
                "e2e-longpoll",
                Kind.LATENCY,
                "≤ 2.0"));
        rows.add(new Row(
                "end-to-end at 1,000 rec/s, produce → WebSocket subscriber (Kafka: its consumer, as above)",
                "e2e-websocket",
                "e2e-longpoll",
                Kind.LATENCY,
                "≤ 2.0"));
        rows.add(new Row(
                "end-to-end, Kafka's EndToEndLatency tool (one in flight)",
                "e2e-tool",
                "e2e-tool",
                Kind.INFO,
                "",
                "— (Kafka's own tool)",
                "not run"));
        rows.add(new Row(
                "10,000 idle long-polls, 120 s timeouts: server CPU (% of one core) and RSS",
                "idle-polls", "idle-polls", Kind.INFO, "< 2 %", "not run", "— (Kafka has no HTTP long-poll)"));
        rows.add(new Row(
                "10,000 idle long-polls, 30 s timeouts",
                "idle-polls-30s",
                "idle-polls-30s",
                Kind.INFO,
                "",
                "not run",
                "— (Kafka has no HTTP long-poll)"));
        rows.add(
                new Row("1,000 partitions: create the topic", "partitions-create", "partitions-create", Kind.TIME, ""));
        rows.add(new Row(
                "1,000 partitions: produce 100 B records",
                "partitions-produce",
                "partitions-produce",
                Kind.THROUGHPUT,
                ""));
        rows.add(new Row("start-up, empty data dir (launch → serving)", "startup", "startup", Kind.TIME, ""));
        rows.add(new Row("recovery after kill -9 (launch → serving)", "recovery", "recovery", Kind.TIME, ""));
        return rows;
    }

    static String table(Map<String, String[]> results) {
        StringBuilder out =
                new StringBuilder("| workload | Sluice | Kafka | ratio Sluice/Kafka | goal |\n|---|---|---|---|---|\n");
        for (Row row : rows()) {
            String[] sluice = results.get(row.sluiceId() + "\tsluice");
            String[] kafka = results.get(row.kafkaId() + "\tkafka");
            out.append("| ")
                    .append(row.label())
                    .append(" | ")
                    .append(sluice == null ? row.sluiceAbsent() : cell(sluice))
                    .append(" | ")
                    .append(kafka == null ? row.kafkaAbsent() : cell(kafka))
                    .append(" | ")
                    .append(ratio(row, sluice, kafka))
                    .append(" | ")
                    .append(row.goal())
                    .append(" |\n");
        }
        return out.toString();
    }

    /**
     * Server CPU time per record for the throughput rows that have it ({@code cpu:<id>} results): what each broker
     * itself spent, which moves much less than wall-clock rates when other work shares the machine.
     */
    static String cpuTable(Map<String, String[]> results) {
        StringBuilder out =
                new StringBuilder("| workload | Sluice | Kafka | ratio Sluice/Kafka (< 1: Sluice spends less) |\n"
                        + "|---|---|---|---|\n");
        boolean any = false;
        for (Row row : rows()) {
            String[] sluice = results.get("cpu:" + row.sluiceId() + "\tsluice");
            String[] kafka = results.get("cpu:" + row.kafkaId() + "\tkafka");
            if (sluice == null && kafka == null) {
                continue;
            }
            any = true;
            String ratio = sluice == null || kafka == null || Double.parseDouble(kafka[2]) == 0
                    ? ""
                    : String.format(Locale.ROOT, "%.2f", Double.parseDouble(sluice[2]) / Double.parseDouble(kafka[2]));
            out.append("| ")
                    .append(row.label())
                    .append(" | ")
                    .append(sluice == null ? "" : cell(sluice))
                    .append(" | ")
                    .append(kafka == null ? "" : cell(kafka))
                    .append(" | ")
                    .append(ratio)
                    .append(" |\n");
        }
        return any ? out.toString() : "";
    }

    private static String cell(String[] result) {
        return result[3].replace("|", "/");
    }

    static String ratio(Row row, String[] sluice, String[] kafka) {
        if (sluice == null
                || kafka == null
                || row.kind() == Kind.INFO
                || "-".equals(sluice[2])
                || "-".equals(kafka[2])) {
            return "";
        }
        double s = Double.parseDouble(sluice[2]);
        double k = Double.parseDouble(kafka[2]);
        if (k == 0) {
            return "";
        }
        String ratio = String.format(Locale.ROOT, "%.2f", s / k);
        return switch (row.kind()) {
            case THROUGHPUT -> s / k >= 1.0 ? "**" + ratio + "**" : ratio;
            case LATENCY -> ratio + (s / k <= 2.0 ? " (p99 within 2×)" : " (p99 over 2×)");
            default -> ratio;
        };
    }

    /**
     * The results by {@code id<TAB>system}. A workload run several times (the read rows) is one result: the run with
     * the median figure (the lower middle one of an even count), its text followed by every run's figure in run
     * order. If any of its runs has no figure (it failed), the last run stands for it.
     */
    static Map<String, String[]> read(Path file) throws IOException {
        Map<String, List<String[]>> runs = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.split("\t", 4);
            if (fields.length == 4) {
                runs.computeIfAbsent(fields[0] + "\t" + fields[1], key -> new ArrayList<>())
                        .add(fields);
            }
        }
        Map<String, String[]> results = new LinkedHashMap<>();
        runs.forEach((key, all) -> results.put(key, median(all)));
        return results;
    }

    private static String[] median(List<String[]> runs) {
        String[] last = runs.get(runs.size() - 1);
        if (runs.size() == 1 || runs.stream().anyMatch(run -> !isNumber(run[2]))) {
            return last;
        }
        List<String[]> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(run -> Double.parseDouble(run[2])));
        String[] median = sorted.get((sorted.size() - 1) / 2).clone();
        median[3] = median[3] + "; median of " + runs.size() + " runs: "
                + String.join(
                        " / ",
                        runs.stream()
                                .map(run -> figure(Double.parseDouble(run[2])))
                                .toList());
        return median;
    }

    private static boolean isNumber(String primary) {
        try {
            Double.parseDouble(primary);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String figure(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    static void write(Path benchmarks, String section) throws IOException {
        String generated = START + "\n" + section + END;
        String current = Files.exists(benchmarks)
                ? Files.readString(benchmarks)
                : "# Benchmarks\n\n" + START + "\n" + END + "\n";
        int start = current.indexOf(START);
        int end = current.indexOf(END);
        String updated = start >= 0 && end > start
                ? current.substring(0, start) + generated + current.substring(end + END.length())
                : current + "\n" + generated + "\n";
        Files.writeString(benchmarks, updated);
    }
}
