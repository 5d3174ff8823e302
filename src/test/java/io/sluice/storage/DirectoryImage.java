package io.sluice.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The files of a directory held in memory, to restore the same on-disk state before each crash variant. */
final class DirectoryImage {

    private final Map<String, byte[]> files;

    private DirectoryImage(Map<String, byte[]> files) {
        this.files = files;
    }

    static DirectoryImage of(Path dir) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : (Iterable<Path>) list::iterator) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return new DirectoryImage(files);
    }

    byte[] file(String name) {
        return files.get(name).clone();
    }

    /** Replaces dir's content with the image. */
    void restoreTo(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path f : (Iterable<Path>) list::iterator) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
