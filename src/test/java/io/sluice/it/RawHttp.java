package io.sluice.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 over a bare socket, for requests no well-behaved client would send (raw bytes in the request line,
 * oversize headers, bodies shorter than their Content-Length). One request per connection.
 */
final class RawHttp {

    /** What came back: the status (-1 if the server closed the connection without answering) and the raw text. */
    record Answer(int status, String head, String body) {
        boolean closedWithoutAnswer() {
            return status < 0;
        }

        /**
         * Refused by Netty's HTTP decoder before any handler runs (head too large: 431, request line too long:
         * 414, unparsable request or URI escape: 400): no body, and the connection is closed.
         */
        /** Refused by the HTTP codec before any route: the connection is closed after the answer. */
        boolean isCodecRejection() {
            return (status == 400 || status == 414 || status == 431)
                    && head.toLowerCase().contains("connection: close");
        }

        boolean isJsonError() {
            return head.toLowerCase().contains("content-type: application/json") && body.contains("\"error_code\"");
        }

        @Override
        public String toString() {
            return status + " " + (head + body).replace("\r\n", " | ");
        }
    }

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** Builds a request; headers are "Name: value" strings, a Content-Length is added for the body. */
    static byte[] request(String method, String target, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        head.append("Connection: close\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return start;
        }
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    /** Sends the bytes (keeping the connection open for writing) and reads the answer until the server closes. */
    Answer exchange(byte[] request, Duration timeout) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may close on an oversize request before reading it all; its answer, if any, counts
            }
            return read(socket.getInputStream());
        }
    }

    /** Reads one answer: its head, then Content-Length bytes, a chunked body, or everything until close. */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; !complete(received.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buf)) >= 0; ) {
                received.write(buf, 0, n);
                if (received.size() > 1 << 20) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            if (received.size() == 0) {
                throw e;
            }
        } catch (IOException e) {
            // connection reset after an answer: keep what came
        }
        return parse(received.toString(StandardCharsets.ISO_8859_1));
    }

    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = text.substring(0, split).toLowerCase();
        int length = head.indexOf("content-length:");
        if (length >= 0) {
            int end = head.indexOf("\r\n", length);
            String value =
                    head.substring(length + 15, end < 0 ? head.length() : end).trim();
            return text.length() - split - 4 >= Long.parseLong(value);
        }
        if (head.contains("transfer-encoding: chunked")) {
            return text.endsWith("0\r\n\r\n");
        }
        return false;
    }

    private static Answer parse(String text) {
        if (!text.startsWith("HTTP/1.1 ")) {
            return new Answer(-1, text, "");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int split = text.indexOf("\r\n\r\n");
        return split < 0
                ? new Answer(status, text, "")
                : new Answer(status, text.substring(0, split), text.substring(split + 4));
    }
}
