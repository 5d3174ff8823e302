package io.sluice.bench;

import java.util.Locale;

/**
 * One measured figure for one system, as a line {@code RESULT<TAB>id<TAB>system<TAB>primary<TAB>text} on stdout;
 * {@code bench/run.sh} collects these lines and {@link BenchReport} renders them. {@code primary} is the number a
 * ratio is computed from (records/s, or milliseconds for latencies), or {@code -} when there is none.
 */
record Result(String id, String system, String primary, String text) {

    static Result of(String id, String system, double primary, String text) {
        return new Result(id, system, String.format(Locale.ROOT, "%.3f", primary), text);
    }

    String line() {
        return "RESULT\t" + id + "\t" + system + "\t" + primary + "\t" + text;
    }

    void print() {
        System.out.println(line());
        System.out.flush();
    }

    static String rate(double recordsPerSecond, double mebibytesPerSecond) {
        return String.format(Locale.ROOT, "%,.0f rec/s (%.1f MB/s)", recordsPerSecond, mebibytesPerSecond);
    }
}
