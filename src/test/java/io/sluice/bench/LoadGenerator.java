package io.sluice.bench;

import java.util.Locale;

/**
 * The benchmark's client for Sluice (and, for the fixed-rate latency run, for Kafka). One workload per
 * invocation; each prints {@link Result} lines on stdout and progress on stderr. Started by {@code bench/run.sh}
 * on the test classpath:
 *
 * <pre>
 * LoadGenerator produce    --url U --topic T --partitions P --value-size S --format json|binary|ndjson
 *                          --records N [--batch B] [--concurrency C] [--warmup-records W] [--id ID]
 * LoadGenerator read       --url U --topic T --partitions P --value-size S [--expect N] [--max-bytes B]
 *                          [--accept application/json|application/vnd.sluice.batches] [--prefetch 2] [--id ID]
 * LoadGenerator group-read --url U --topic T --partitions P --value-size S [--expect N] [--max-bytes B]
 *                          [--accept application/json|application/vnd.sluice.batches] [--prefetch 2] [--id ID]
 * LoadGenerator e2e        --url U --topic T [--rate 1000] [--warmup-seconds 5] [--seconds 30] [--value-size 100]
 *                          [--poll-ms 5000] [--id ID]
 * LoadGenerator e2e-ws     (the same, consumer is a WebSocket subscription on /ws)
 * LoadGenerator kafka-e2e  --bootstrap H:P --topic T [--rate 1000] [--warmup-seconds 5] [--seconds 30] [--value-size 100]
 *                          [--id ID]
 * LoadGenerator idle-polls --url U --pid SERVER_PID [--connections 10000] [--seconds 30] [--id ID]
 * LoadGenerator partitions --url U [--partitions 1000] [--records N] [--id ID]
 * </pre>
 *
 * Exits non-zero if a workload fails or reads back fewer records than expected.
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            throw new IllegalArgumentException("usage: LoadGenerator <workload> --option value ...");
        }
        BenchArgs args = BenchArgs.parse(argv, 1);
        String workload = argv[0];
        if (workload.equals("kafka-e2e")) {
            KafkaEndToEnd e2e = new KafkaEndToEnd();
            e2e.run(
                    args.string("bootstrap"),
                    args.string("topic"),
                    args.integer("rate", 1000),
                    args.integer("warmup-seconds", 5),
                    args.integer("seconds", 30),
                    args.integer("value-size", 100));
            e2e.result(args.string("id", "e2e-longpoll")).print();
            return;
        }
        int connections = workload.equals("idle-polls") ? args.integer("connections", 10_000) + 16 : 64;
        try (SluiceHttp http = new SluiceHttp(args.string("url"), connections)) {
            run(workload, args, http);
        }
    }

    static void run(String workload, BenchArgs args, SluiceHttp http) throws Exception {
        switch (workload) {
            case "produce" -> produce(args, http).print();
            case "read" -> read(args, http).print();
            case "group-read" -> groupRead(args, http).print();
            case "e2e", "e2e-ws" -> {
                String ws = workload.equals("e2e-ws") ? args.string("url").replaceFirst("^http", "ws") + "/ws" : null;
                EndToEndWorkload e2e = new EndToEndWorkload(http, args.number("poll-ms", 5_000), ws);
                String topic = args.string("topic");
                http.createTopic(topic, 1);
                e2e.run(
                        topic,
                        args.integer("rate", 1000),
                        args.integer("warmup-seconds", 5),
                        args.integer("seconds", 30),
                        args.integer("value-size", 100));
                e2e.result(args.string("id", ws == null ? "e2e-longpoll" : "e2e-websocket"))
                        .print();
            }
            case "idle-polls" ->
                new IdlePollsWorkload(http, args.number("pid", -1))
                        .run(
                                args.string("id", "idle-polls"),
                                args.string("topic", "idle"),
                                args.integer("connections", 10_000),
                                args.integer("seconds", 30),
                                args.number("poll-timeout-ms", 30_000))
                        .print();
            case "partitions" -> partitions(args, http);
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
    }

    static Result produce(BenchArgs args, SluiceHttp http) {
        String topic = args.string("topic");
        int partitions = args.integer("partitions", 1);
        int valueSize = args.integer("value-size", 100);
        BodyFormat format = BodyFormat.parse(args.string("format", "json"));
        int batch = args.integer("batch", ProduceWorkload.defaultBatch(valueSize));
        int concurrency = args.integer("concurrency", 4);
        ProduceWorkload workload = new ProduceWorkload(http, format, valueSize);
        long warmup = args.number("warmup-records", 0);
        if (warmup > 0) {
            http.createTopic(topic + "-warmup", partitions);
            workload.run(topic + "-warmup", partitions, warmup, batch, concurrency);
        }
        http.createTopic(topic, partitions);
        ProduceWorkload.Outcome outcome =
                workload.run(topic, partitions, args.number("records", 100_000), batch, concurrency);
        return ProduceWorkload.result(args.string("id", "produce"), outcome, valueSize);
    }

    static Result read(BenchArgs args, SluiceHttp http) {
        ReadWorkload workload = new ReadWorkload(
                http,
                args.string("accept", "application/json"),
                args.integer("max-bytes", 1 << 20),
                args.integer("prefetch", 2));
        ReadWorkload.Outcome outcome = workload.run(args.string("topic"), args.integer("partitions", 1));
        return readResult(args, outcome, "read");
    }

    static Result groupRead(BenchArgs args, SluiceHttp http) {
        GroupReadWorkload workload = new GroupReadWorkload(
                http,
                args.integer("max-bytes", 1 << 20),
                args.string("accept", "application/json"),
                args.integer("prefetch", 2));
        ReadWorkload.Outcome outcome = workload.run(args.string("topic"), args.integer("partitions", 1));
        return readResult(args, outcome, "group-read");
    }

    /** The read's result line; fails if it read another number of records than {@code --expect} says. */
    private static Result readResult(BenchArgs args, ReadWorkload.Outcome outcome, String workload) {
        long expect = args.number("expect", -1);
        if (expect >= 0 && outcome.records() != expect) {
            throw new IllegalStateException(workload + ": read " + outcome.records() + " records, expected " + expect);
        }
        return ReadWorkload.result(args.string("id", workload), outcome, args.integer("value-size", 100));
    }

    private static void partitions(BenchArgs args, SluiceHttp http) {
        String topic = args.string("topic", "many");
        int partitions = args.integer("partitions", 1000);
        long start = System.nanoTime();
        http.createTopic(topic, partitions);
        double createMillis = (System.nanoTime() - start) / 1e6;
        Result.of("partitions-create", "sluice", createMillis, String.format(Locale.ROOT, "%.0f ms", createMillis))
                .print();
        long records = args.number("records", 1_000_000);
        int batch = (int) Math.max(1, Math.min(1000, records / partitions));
        ProduceWorkload.Outcome outcome = new ProduceWorkload(http, BodyFormat.JSON, 100)
                .run(topic, partitions, records, batch, args.integer("concurrency", 4));
        ProduceWorkload.result("partitions-produce", outcome, 100).print();
    }
}
