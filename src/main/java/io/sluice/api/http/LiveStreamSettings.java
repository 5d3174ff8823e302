package io.sluice.api.http;

import java.time.Duration;

/**
 * Limits shared by the streaming endpoints (SSE, NDJSON follow, WebSocket).
 *
 * @param keepAlive idle time after which a keep-alive is sent (SSE comment, blank NDJSON line)
 * @param maxBatchRecords most records one read may take from a partition
 * @param maxBatchBytes soft limit on the bytes one read takes from a partition
 */
public record LiveStreamSettings(Duration keepAlive, int maxBatchRecords, int maxBatchBytes) {}
