package io.sluice.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A {@link StorageFiles} over the real file system under one root that remembers what a power cut would keep:
 * for each file the bytes as of its last fsync (channel force or mapping force), and for each directory the
 * entries as of its last directory fsync. {@link #powerOff} writes that surviving state to another directory.
 *
 * <p>The model, per file: content that was never forced is lost; per directory: a creation, rename or deletion
 * not followed by an fsync of that directory is lost (a lost directory takes its files with it). With
 * {@code adversarial} the cut instead keeps, per file, either the synced bytes, everything written, or a torn
 * prefix of the unsynced tail, and per directory either its synced or its current entries, which is what a real
 * disk may also do. Files appearing under the root other than through this door are lost at the cut, so a
 * missed door shows up as lost data.
 *
 * <p>Every mutation (open for writing, write, truncate, force, rename, delete, mkdir, directory fsync) counts as
 * one operation; operation number {@code cutAt} and every one after it fail with {@link PowerCut}. Thread-safe
 * (one monitor).
 */
final class PowerCutDisk implements StorageFiles {

    /** The disk lost power: nothing more is written. */
    static final class PowerCut extends IOException {
        PowerCut(String message) {
            super(message);
        }
    }

    /** One file (an inode): the bytes that would survive, and where it currently lives. */
    static final class Node {
        byte[] synced = new byte[0];
        Path path;

        Node(Path path) {
            this.path = path;
        }
    }

    private static final Object DIRECTORY = new Object();

    private final Path root;
    private final long cutAt;
    private final Map<Path, Object> live = new HashMap<>();
    private final Map<Path, Object> durable = new HashMap<>();
    private final List<FileChannel> channels = new ArrayList<>();
    private long operations;
    private boolean off;

    /** Everything under root now is taken as synced. */
    PowerCutDisk(Path root, long cutAt) throws IOException {
        this.root = root;
        this.cutAt = cutAt;
        live.put(root, DIRECTORY);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p)) {
                    live.put(p, DIRECTORY);
                } else {
                    Node n = new Node(p);
                    n.synced = Files.readAllBytes(p);
                    live.put(p, n);
                }
            }
        }
        durable.putAll(live);
    }

    synchronized long operations() {
        return operations;
    }

    synchronized boolean isOff() {
        return off;
    }

    /** Counts one mutation; fails it if the power is (now) off. */
    synchronized void tick(String what) throws PowerCut {
        if (!off && ++operations >= cutAt) {
            off = true;
        }
        if (off) {
            throw new PowerCut("power cut at operation " + cutAt + " (" + what + ")");
        }
    }

    synchronized void checkOn() throws PowerCut {
        if (off) {
            throw new PowerCut("power is off");
        }
    }

    @Override
    public synchronized FileChannel open(Path file, OpenOption... options) throws IOException {
        List<OpenOption> opts = Arrays.asList(options);
        boolean writes = opts.contains(StandardOpenOption.WRITE) || opts.contains(StandardOpenOption.CREATE);
        if (writes) {
            tick("open " + file);
        } else {
            checkOn();
        }
        FileChannel real = FileChannel.open(file, options);
        Node node = live.get(file) instanceof Node n ? n : null;
        if (node == null) {
            node = new Node(file);
            live.put(file, node);
        }
        FileChannel ch = new TrackingChannel(this, real, node);
        channels.add(ch);
        return ch;
    }

    /** The channel forced its file: what is in it now survives a cut. */
    synchronized void synced(Node node) throws IOException {
        if (node.path != null && Files.exists(node.path)) {
            node.synced = Files.readAllBytes(node.path);
        }
    }

    static Node nodeOf(Object node) {
        return (Node) node;
    }

    @Override
    public synchronized void move(Path source, Path target) throws IOException {
        tick("move " + source + " -> " + target);
        Files.move(
                source,
                target,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Object node = live.remove(source);
        if (live.get(target) instanceof Node replaced) {
            replaced.path = null;
        }
        if (node instanceof Node n) {
            n.path = target;
            live.put(target, n);
        }
    }

    @Override
    public synchronized boolean deleteIfExists(Path file) throws IOException {
        tick("delete " + file);
        boolean deleted = Files.deleteIfExists(file);
        if (live.remove(file) instanceof Node n) {
            n.path = null;
        }
        return deleted;
    }

    @Override
    public synchronized void createDirectories(Path dir) throws IOException {
        tick("mkdir " + dir);
        Files.createDirectories(dir);
        for (Path p = dir; p != null && p.startsWith(root); p = p.getParent()) {
            live.putIfAbsent(p, DIRECTORY);
        }
    }

    @Override
    public synchronized void fsyncDirectory(Path dir) throws IOException {
        tick("fsync dir " + dir);
        durable.keySet().removeIf(p -> dir.equals(p.getParent()) && !live.containsKey(p));
        for (Map.Entry<Path, Object> e : live.entrySet()) {
            if (dir.equals(e.getKey().getParent())) {
                durable.put(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public synchronized void forceMapped(Path file, MappedByteBuffer mapping) throws IOException {
        tick("force mapping " + file);
        if (live.get(file) instanceof Node n) {
            synced(n);
        }
    }

    /**
     * Cuts the power (if not cut yet), closes every channel handed out and writes what survives into target,
     * which must not exist yet.
     */
    synchronized void powerOff(Path target, Random random, boolean adversarial) throws IOException {
        off = true;
        for (FileChannel ch : channels) {
            ((TrackingChannel) ch).closeReal();
        }
        Map<Path, Object> surviving = survivingEntries(random, adversarial);
        Set<Path> dirs = new HashSet<>();
        for (Map.Entry<Path, Object> e : surviving.entrySet()) {
            if (e.getValue() == DIRECTORY && reachable(e.getKey(), surviving)) {
                dirs.add(e.getKey());
                Files.createDirectories(
                        target.resolve(root.relativize(e.getKey()).toString()));
            }
        }
        for (Map.Entry<Path, Object> e : surviving.entrySet()) {
            if (e.getValue() instanceof Node n && dirs.contains(e.getKey().getParent())) {
                Files.write(target.resolve(root.relativize(e.getKey()).toString()), content(n, random, adversarial));
            }
        }
    }

    private boolean reachable(Path dir, Map<Path, Object> surviving) {
        for (Path p = dir; !p.equals(root); p = p.getParent()) {
            if (surviving.get(p) != DIRECTORY) {
                return false;
            }
        }
        return true;
    }

    /** Per directory: its synced entries, or (adversarial, half the time) its current ones. */
    private Map<Path, Object> survivingEntries(Random random, boolean adversarial) {
        Set<Path> parents = new HashSet<>();
        live.keySet().forEach(p -> parents.add(p.getParent()));
        durable.keySet().forEach(p -> parents.add(p.getParent()));
        Map<Path, Object> result = new HashMap<>();
        result.put(root, DIRECTORY);
        for (Path parent : parents.stream().filter(p -> p != null).sorted().toList()) {
            Map<Path, Object> source = adversarial && random.nextBoolean() ? live : durable;
            source.forEach((p, v) -> {
                if (parent.equals(p.getParent())) {
                    result.put(p, v);
                }
            });
        }
        return result;
    }

    private static byte[] content(Node n, Random random, boolean adversarial) throws IOException {
        if (!adversarial || n.path == null || !Files.exists(n.path)) {
            return n.synced;
        }
        byte[] current = Files.readAllBytes(n.path);
        int choice = random.nextInt(3);
        if (choice == 0 || current.length <= n.synced.length) {
            return choice == 1 ? current : n.synced;
        }
        int keep = n.synced.length + random.nextInt(current.length - n.synced.length + 1);
        return choice == 1 ? current : Arrays.copyOf(current, keep);
    }
}
