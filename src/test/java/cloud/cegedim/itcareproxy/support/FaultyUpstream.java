package cloud.cegedim.itcareproxy.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * An HTTP/1.1 upstream on plain blocking sockets (one thread per connection), so that it can misbehave in ways no HTTP
 * library allows: reset before or in the middle of an answer, send headers and then nothing, trickle a body byte by
 * byte, announce more body than it sends, answer with an invalid status line, or never answer at all.
 * <p>
 * What must stay true: every request is counted by its id ({@code X-Test-Id}, else its target) before any fault is
 * played, so that a test can assert how many times each request reached the upstream; and a healthy answer's body is
 * {@link #body(String)} of that id, so that a client can check it byte for byte.
 */
public final class FaultyUpstream {

    /** The header that names a request for {@link #received(String)}. */
    public static final String TEST_ID = "X-Test-Id";

    /** How the upstream treats one request. */
    public enum Fault {
        /** 200 with {@link #body(String)}, fixed length, keep-alive. */
        NONE,
        /** The connection is reset (TCP RST) once the request has been read, before any byte of an answer. */
        RESET_BEFORE_ANSWER,
        /** The status line, headers and half of the announced body, then a reset (see {@link #holdCuts()}). */
        RESET_MID_BODY,
        /** The status line and headers announcing a body, then nothing: the connection stays open and silent. */
        HEADERS_THEN_STALL,
        /** The whole answer, its body one byte at a time with {@link #TRICKLE_PAUSE_MS} between bytes. */
        TRICKLE_BODY,
        /** Headers announcing the whole body, a tenth of it, then an orderly close (FIN; see {@link #holdCuts()}). */
        SHORT_BODY_THEN_CLOSE,
        /** A status line that is not HTTP, then a close. */
        INVALID_STATUS_LINE,
        /** The request is read and never answered; the connection stays open and silent. */
        NEVER_ANSWER
    }

    /** What the upstream read of one request: method, target, headers (names in lower case) and body length. */
    public record Request(String method, String target, Map<String, String> headers, long bodyLength) {
        public String id() {
            String id = headers.get(TEST_ID.toLowerCase(Locale.ROOT));
            return id != null ? id : target;
        }
    }

    /** Pause between the bytes of a trickled body. */
    public static final long TRICKLE_PAUSE_MS = 10;
    /** Length of a trickled body: short, so that trickling it takes well under a second. */
    public static final int TRICKLE_LENGTH = 40;

    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "faulty-upstream");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, AtomicInteger> receivedById = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> lingering = ConcurrentHashMap.newKeySet();
    private volatile Function<Request, Fault> faults = request -> Fault.NONE;
    private volatile CountDownLatch cuts;
    private volatile ServerSocket server;
    private int port;

    /** Listens on a free loopback port. */
    public FaultyUpstream start() {
        listen(0);
        return this;
    }

    /** Listens again on the port it had, after {@link #stop()}. */
    public void restart() {
        listen(port);
    }

    /** Closes the listening socket and resets every open connection: from now on, connecting is refused. */
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        open.forEach(FaultyUpstream::reset);
    }

    /** Stops for good and ends its threads. */
    public void close() {
        stop();
        threads.shutdownNow();
    }

    public int port() {
        return port;
    }

    /** Chooses the fault for each request; the function runs after the request has been read and counted. */
    public void faults(Function<Request, Fault> choice) {
        this.faults = choice;
    }

    /**
     * From now on, an answer cut in the middle waits after its partial body until {@link #releaseCuts()}, so that a test
     * can see the partial body reach the client before the cut. Unheld, the cut follows the partial body after 20 ms,
     * and the proxy may then notice both at once.
     */
    public void holdCuts() {
        cuts = new CountDownLatch(1);
    }

    public void releaseCuts() {
        cuts.countDown();
    }

    /** Back to healthy answers, unheld cuts and zero counts. */
    public void reset() {
        faults = request -> Fault.NONE;
        CountDownLatch held = cuts;
        cuts = null;
        if (held != null) {
            held.countDown();
        }
        receivedById.clear();
        requests.set(0);
    }

    /** How many times a request with this id reached the upstream. */
    public int received(String id) {
        AtomicInteger count = receivedById.get(id);
        return count == null ? 0 : count.get();
    }

    /** Requests received since the last reset, all ids together. */
    public int requests() {
        return requests.get();
    }

    /** Connections open right now. */
    public int openConnections() {
        return open.size();
    }

    /**
     * Connections on which the upstream will send nothing more (it stalls, never answers, or has closed its side) and
     * that the proxy still holds open: each must be closed by the proxy's own deadlines, so this must fall to 0.
     */
    public int lingeringConnections() {
        return lingering.size();
    }

    /** The body of a healthy answer to the request with this id: 1 to 4 KiB, its bytes derived from the id. */
    public static byte[] body(String id) {
        SplittableRandom random = new SplittableRandom(id.hashCode());
        byte[] body = new byte[1024 + random.nextInt(3 * 1024)];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + random.nextInt(26));
        }
        return body;
    }

    private void listen(int wanted) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 1024);
            server = socket;
            port = socket.getLocalPort();
            threads.execute(() -> accept(socket));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                open.add(connection);
                threads.execute(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            Request request;
            while ((request = read(in)) != null) {
                requests.incrementAndGet();
                receivedById.computeIfAbsent(request.id(), id -> new AtomicInteger()).incrementAndGet();
                if (!play(faults.apply(request), request, connection, in, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The proxy closed or reset its side: nothing more to serve on this connection.
        } finally {
            open.remove(connection);
            lingering.remove(connection);
        }
    }

    /** Plays one fault; true when the connection can carry another request. */
    private boolean play(Fault fault, Request request, Socket connection, InputStream in, OutputStream out)
            throws IOException {
        byte[] body = body(request.id());
        switch (fault) {
            case NONE -> {
                out.write(head(body.length));
                out.write(body);
                out.flush();
                return true;
            }
            case RESET_BEFORE_ANSWER -> reset(connection);
            case RESET_MID_BODY -> {
                out.write(head(body.length));
                out.write(body, 0, body.length / 2);
                out.flush();
                beforeCut();
                reset(connection);
            }
            case HEADERS_THEN_STALL -> {
                out.write(head(body.length));
                out.flush();
                waitForClose(connection, in);
            }
            case TRICKLE_BODY -> {
                out.write(head(TRICKLE_LENGTH));
                out.flush();
                for (int i = 0; i < TRICKLE_LENGTH; i++) {
                    out.write(body[i]);
                    out.flush();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TRICKLE_PAUSE_MS));
                }
                return true;
            }
            case SHORT_BODY_THEN_CLOSE -> {
                out.write(head(body.length));
                out.write(body, 0, body.length / 10);
                out.flush();
                beforeCut();
                connection.shutdownOutput();
                waitForClose(connection, in);
            }
            case INVALID_STATUS_LINE -> {
                out.write("HTTP/1.1 OK-ISH\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                connection.shutdownOutput();
                waitForClose(connection, in);
            }
            case NEVER_ANSWER -> waitForClose(connection, in);
        }
        return false;
    }

    /** Waits for {@link #releaseCuts()} when cuts are held, else gives the partial answer 20 ms to leave. */
    private void beforeCut() {
        CountDownLatch held = cuts;
        try {
            if (held == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            } else if (!held.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("cuts held for more than 60 s: the test never released them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends nothing more until the proxy closes its side (read returns end of stream or fails). */
    private void waitForClose(Socket connection, InputStream in) throws IOException {
        lingering.add(connection);
        while (in.read() >= 0) {
            // Whatever the proxy sends now is not a request this upstream answers.
        }
    }

    private static byte[] head(int contentLength) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + contentLength
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void reset(Socket connection) {
        try {
            connection.setSoLinger(true, 0);
            connection.close();
        } catch (IOException e) {
            // Already gone: as good as reset.
        }
    }

    /** Reads one request (head and body, fixed-length or chunked); null at a clean end of stream. */
    private static Request read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        Map<String, String> headers = new TreeMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        String[] parts = requestLine.split(" ", 3);
        long length;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            length = skipChunked(in);
        } else {
            length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            skip(in, length);
        }
        return new Request(parts[0], parts.length > 1 ? parts[1] : "", Map.copyOf(headers), length);
    }

    private static long skipChunked(InputStream in) throws IOException {
        long total = 0;
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new IOException("end of stream inside a chunked body");
            }
            int semicolon = size.indexOf(';');
            long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                while (true) {
                    String trailer = line(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return total;
                    }
                }
            }
            skip(in, n);
            line(in);
            total += n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
