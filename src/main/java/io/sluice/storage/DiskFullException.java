package io.sluice.storage;

/**
 * A write failed because the device has no space left; the edge answers "insufficient storage" (507). When an
 * append's write hit it, the segment cut the partial bytes off and the partition stays online (the append is
 * refused, later ones succeed once there is space); elsewhere (roll, index, checkpoint) it takes the partition
 * offline like any other I/O error.
 */
public class DiskFullException extends LogOfflineException {

    public DiskFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
