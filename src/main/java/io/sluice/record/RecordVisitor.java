package io.sluice.record;

import java.util.List;

/**
 * Receives a batch's records one at a time as {@link RecordBatch#forEachRecord} decodes them, so that a reader builds
 * its own record type without an intermediate {@link Record} per record.
 */
@FunctionalInterface
public interface RecordVisitor {

    /**
     * One record: its absolute offset, its timestamp (the batch's max timestamp under log-append time), its key and
     * value (copies the visitor may keep; null when absent) and its headers. Returns whether to go on with the next
     * record of the batch.
     */
    boolean record(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers);
}
