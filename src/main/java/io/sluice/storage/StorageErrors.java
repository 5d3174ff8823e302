package io.sluice.storage;

import java.io.IOException;

/** Classifies low-level failures. Java has no errno, so "no space left" is recognised by its message. */
final class StorageErrors {

    private StorageErrors() {}

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof IOException
                    && message != null
                    && (message.contains("No space left")
                            || message.contains("ENOSPC")
                            || message.contains("Disk quota"))) {
                return true;
            }
        }
        return false;
    }
}
