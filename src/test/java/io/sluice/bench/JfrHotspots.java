package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording as markdown: the methods most
 * often on top of the stack (self time), self time grouped by library, Sluice's methods by how often they are
 * anywhere in the stack (total time, counted once per sample), and the innermost Sluice frame of each sample
 * (which Sluice code the time is spent for).
 *
 * <pre>JfrHotspots FILE.jfr [TOP]</pre>
 */
public final class JfrHotspots {

    private JfrHotspots() {}

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> sluiceSelf = new HashMap<>();
        Map<String, Integer> library = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            library.merge(library(name(frames.get(0))), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            boolean ownFound = false;
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (seen.add(name) && name.startsWith("io.sluice.")) {
                    total.merge(name, 1, Integer::sum);
                }
                if (!ownFound && name.startsWith("io.sluice.")) {
                    sluiceSelf.merge(name, 1, Integer::sum);
                    ownFound = true;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d CPU samples%n%n", samples);
        print("Top of stack (self)", self, samples, top);
        print("Self time by library (package of the top frame)", library, samples, top);
        print("Sluice methods anywhere in the stack (total, including what they call)", total, samples, top);
        print(
                "Innermost io.sluice frame (where Sluice's own code spends, including what it calls)",
                sluiceSelf,
                samples,
                top);
    }

    /** The first two or three package segments: {@code io.netty.channel}, {@code tools.jackson.core}, ... */
    static String library(String method) {
        String[] parts = method.split("\\.");
        int keep = Math.min(parts.length - 2, parts[0].equals("java") || parts[0].equals("jdk") ? 2 : 3);
        return String.join(".", java.util.Arrays.copyOf(parts, Math.max(1, keep)));
    }

    private static String name(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("### " + title + "\n\n| samples | % | method |\n|---|---|---|");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf(
                        Locale.ROOT,
                        "| %d | %.1f | `%s` |%n",
                        e.getValue(),
                        100.0 * e.getValue() / samples,
                        e.getKey()));
        System.out.println();
    }
}
