package io.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class StorageErrorsTest {

    @Test
    void noSpaceLeftIsRecognisedEvenWhenWrapped() {
        assertThat(StorageErrors.isDiskFull(new IOException("No space left on device")))
                .isTrue();
        assertThat(StorageErrors.isDiskFull(new UncheckedIOException(new IOException("No space left on device"))))
                .isTrue();
        assertThat(StorageErrors.isDiskFull(new IOException("Disk quota exceeded")))
                .isTrue();
    }

    @Test
    void otherIoErrorsAreNotDiskFull() {
        assertThat(StorageErrors.isDiskFull(new IOException("Input/output error")))
                .isFalse();
        assertThat(StorageErrors.isDiskFull(new IOException((String) null))).isFalse();
        assertThat(StorageErrors.isDiskFull(new IllegalStateException("No space left")))
                .isFalse();
    }

    @Test
    void diskFullIsALogOfflineException() {
        assertThat(new DiskFullException("x", new IOException())).isInstanceOf(LogOfflineException.class);
        assertThat(new CorruptLogException("x")).isInstanceOf(LogOfflineException.class);
    }
}
