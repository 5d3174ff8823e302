package io.sluice.storage;

/** A producer wrote with an epoch lower than the latest epoch seen for its producer id: a zombie instance. */
public class ProducerFencedException extends StorageException {

    public ProducerFencedException(String message) {
        super(message);
    }
}
