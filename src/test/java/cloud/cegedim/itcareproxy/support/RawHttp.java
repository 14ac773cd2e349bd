package cloud.cegedim.itcareproxy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes exactly as written (no client library would send a smuggling attempt or an absolute-form target) and
 * reads the answer until the proxy closes the connection or a complete Content-Length body has arrived.
 */
public final class RawHttp {

    /** A parsed answer: status code, the raw header section, and the body bytes as text. */
    public record Answer(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    public static Answer send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Answer send(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The proxy may answer and close before it read everything (an oversized section): read what it said.
            }
            return read(socket.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int headEnd = -1;
        long contentLength = -1;
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                bytes.write(chunk, 0, n);
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0) {
                    headEnd = text.indexOf("\r\n\r\n");
                    if (headEnd >= 0) {
                        contentLength = contentLength(text.substring(0, headEnd));
                    }
                }
                if (headEnd >= 0 && contentLength >= 0 && bytes.size() >= headEnd + 4 + contentLength) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // What arrived before the timeout or reset is the answer.
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0) {
            throw new IOException("no complete response head; received: " + text);
        }
        String head = text.substring(0, headEnd);
        int status = Integer.parseInt(head.substring(9, 12));
        String body = text.substring(headEnd + 4);
        if (contentLength >= 0 && body.length() > contentLength) {
            body = body.substring(0, (int) contentLength);
        }
        return new Answer(status, head, body);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return -1;
    }
}
