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

    @Test
    void laterResultsForTheSameWorkloadWin() throws IOException {
        Path results = dir.resolve("results.tsv");
        Files.writeString(results, "startup\tsluice\t900\t900 ms\nstartup\tsluice\t800\t800 ms\n");

        Map<String, String[]> read = BenchReport.read(results);

        assertThat(read.get("startup\tsluice")[3]).isEqualTo("800 ms");
    }
}
