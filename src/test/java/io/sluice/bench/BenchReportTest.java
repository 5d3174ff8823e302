package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dir;

    @Test
    void throughputRowsShowBothSystemsAndTheirRatio() throws IOException {
        Path results = dir.resolve("results.tsv");
        Files.writeString(
                results,
                "produce-json-100b-1p\tsluice\t150000.000\t150,000 rec/s (14.3 MB/s)\n"
                        + "produce-100b-1p\tkafka\t600000\t600,000 rec/s (57.2 MB/s)\n"
                        + "read-100b-1p\tsluice\t2000000\t2,000,000 rec/s\n"
                        + "read-100b-1p\tkafka\t1000000\t1,000,000 rec/s\n"
                        + "group-read-100b-1p\tsluice\t500000\t500,000 rec/s\n");

        String table = BenchReport.table(BenchReport.read(results));

        assertThat(table)
                .contains("| produce, JSON batches, 100 B, 1 partition | 150,000 rec/s (14.3 MB/s) | 600,000 rec/s"
                        + " (57.2 MB/s) | 0.25 | ≥ 1.0 |")
                .contains("| 2,000,000 rec/s | 1,000,000 rec/s | **2.00** |")
                .contains("| read to the end, consumer group, one instance per partition (JSON), 100 B, 1 partition |"
                        + " 500,000 rec/s | 1,000,000 rec/s | 0.50 |")
                .contains("| read to the end, partition reads (Kafka record batches), 100 B, 1 partition | not run |"
                        + " 1,000,000 rec/s |  |")
                .contains("| produce, NDJSON stream, 100 B, 1 partition | not run | 600,000 rec/s (57.2 MB/s) |  |");
    }

    @Test
    void aWorkloadRunSeveralTimesIsItsMedianRunWithEveryFigure() throws IOException {
        Path results = dir.resolve("results.tsv");
        Files.writeString(
                results,
                "read-100b-1p\tsluice\t1200000\t1,200,000 rec/s; request p99 9 ms\n"
                        + "read-100b-1p\tkafka\t1000000\t1,000,000 rec/s\n"
                        + "read-100b-1p\tsluice\t900000\t900,000 rec/s; request p99 30 ms\n"
                        + "read-100b-1p\tkafka\t1300000\t1,300,000 rec/s\n"
                        + "read-100b-1p\tsluice\t1100000\t1,100,000 rec/s; request p99 12 ms\n"
                        + "read-100b-1p\tkafka\t1200000\t1,200,000 rec/s\n"
                        + "cpu:read-100b-1p\tsluice\t0.30\t0.30 µs/record\n"
                        + "cpu:read-100b-1p\tsluice\t0.25\t0.25 µs/record\n"
                        + "read-batches-100b-1p\tsluice\t2000000\t2,000,000 rec/s\n"
                        + "read-batches-100b-1p\tsluice\t-\tFAILED: refused\n");

        Map<String, String[]> read = BenchReport.read(results);

        assertThat(read.get("read-100b-1p\tsluice"))
                .containsExactly(
                        "read-100b-1p",
                        "sluice",
                        "1100000",
                        "1,100,000 rec/s; request p99 12 ms; median of 3 runs: 1,200,000 / 900,000 / 1,100,000");
        assertThat(read.get("read-100b-1p\tkafka")[3])
                .isEqualTo("1,200,000 rec/s; median of 3 runs: 1,000,000 / 1,300,000 / 1,200,000");
        assertThat(read.get("cpu:read-100b-1p\tsluice")[3]).isEqualTo("0.25 µs/record; median of 2 runs: 0.30 / 0.25");
        assertThat(read.get("read-batches-100b-1p\tsluice")[3]).isEqualTo("FAILED: refused");
        assertThat(BenchReport.table(read)).contains("| 0.92 | ≥ 1.0 |");
    }

    @Test
    void cpuPerRecordIsTabledForTheRowsThatHaveIt() throws IOException {
        Path results = dir.resolve("results.tsv");
        Files.writeString(
                results,
                "cpu:read-100b-1p\tsluice\t3.00\t3.00 µs/record (1.0 s CPU)\n"
                        + "cpu:read-100b-1p\tkafka\t1.50\t1.50 µs/record (0.5 s CPU)\n");

        String table = BenchReport.cpuTable(BenchReport.read(results));

        assertThat(table)
                .contains("| read to the end, partition reads (JSON), 100 B, 1 partition | 3.00 µs/record (1.0 s CPU) |"
                        + " 1.50 µs/record (0.5 s CPU) | 2.00 |")
                .doesNotContain("produce");
    }

    @Test
    void latencyRatioComparesP99AgainstTwiceKafkas() {
        BenchReport.Row row = new BenchReport.Row("e2e", "e2e", "e2e", BenchReport.Kind.LATENCY, "≤ 2.0");

        assertThat(BenchReport.ratio(
                        row, new String[] {"e2e", "sluice", "3.0", ""}, new String[] {"e2e", "kafka", "2.0", ""}))
                .isEqualTo("1.50 (p99 within 2×)");
        assertThat(BenchReport.ratio(
                        row, new String[] {"e2e", "sluice", "5.0", ""}, new String[] {"e2e", "kafka", "2.0", ""}))
                .isEqualTo("2.50 (p99 over 2×)");
    }

    @Test
    void rewritingBenchmarksKeepsTheHandWrittenPartsAroundTheGeneratedSection() throws IOException {
        Path benchmarks = dir.resolve("BENCHMARKS.md");
        Files.writeString(
                benchmarks,
                "# Benchmarks\n\nintro\n\n" + BenchReport.START + "\nold\n" + BenchReport.END + "\n\n## Findings\n");

        BenchReport.write(benchmarks, "new table\n");

        assertThat(Files.readString(benchmarks))
                .isEqualTo("# Benchmarks\n\nintro\n\n" + BenchReport.START + "\nnew table\n" + BenchReport.END
                        + "\n\n## Findings\n");
    }
}
