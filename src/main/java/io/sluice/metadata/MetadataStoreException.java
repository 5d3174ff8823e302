package io.sluice.metadata;

/** The metadata store failed (I/O, database); the operation may or may not have taken effect. */
public class MetadataStoreException extends RuntimeException {

    public MetadataStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
