package io.sluice.api.ws;

import io.sluice.api.http.LiveStreamSettings;
import java.time.Duration;

/**
 * Limits of one WebSocket connection.
 *
 * @param maxSubscriptions subscriptions one socket may hold at once
 * @param maxPendingFrames control frames ({@code produced}, {@code error}, ...) that may wait for a slow client
 * @param slowClientTimeout how long frames may wait for a client that accepts none before it is closed
 * @param streams read limits and the keep-alive interval shared with the HTTP streams
 */
public record WsSettings(
        int maxSubscriptions, int maxPendingFrames, Duration slowClientTimeout, LiveStreamSettings streams) {}
