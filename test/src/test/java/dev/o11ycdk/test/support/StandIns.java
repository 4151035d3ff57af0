package dev.o11ycdk.test.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-process HTTP servers on loopback standing in for an application service and for Slack. */
public final class StandIns {
    private StandIns() {
    }

    /** Serves a tiny Prometheus text exposition on {@code path}. */
    public static HttpServer metricsService(int port, String path) throws IOException {
        return metricsService(port, path, "text/plain; version=0.0.4");
    }

    /**
     * The same exposition without a Content-Type header, as many a hand-written {@code /metrics} answers
     * (Prometheus 2 read it as text; Prometheus 3 fails the scrape without a fallback protocol).
     */
    public static HttpServer metricsServiceWithoutContentType(int port, String path) throws IOException {
        return metricsService(port, path, null);
    }

    /** As {@link #metricsService(int, String)} on another loopback address ({@code 127.0.1.10}: Linux routes all of 127/8 to lo). */
    public static HttpServer metricsService(String loopbackAddress, int port, String path) throws IOException {
        if (!loopbackAddress.startsWith("127.")) {
            throw new IllegalArgumentException("stand-ins listen on loopback only: " + loopbackAddress);
        }
        return metricsService(loopbackAddress, port, path, "text/plain; version=0.0.4");
    }

    private static HttpServer metricsService(int port, String path, String contentType) throws IOException {
        return metricsService("127.0.0.1", port, path, contentType);
    }

    private static HttpServer metricsService(String address, int port, String path, String contentType) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.createContext(path, exchange -> {
            byte[] body = "# TYPE standin_requests_total counter\nstandin_requests_total 42\n".getBytes(StandardCharsets.UTF_8);
            if (contentType != null) {
                exchange.getResponseHeaders().add("Content-Type", contentType);
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return server;
    }

    /**
     * A Spring Boot service's metrics endpoint: {@code metrics}' exposition at the time of each request,
     * with the Content-Type Micrometer's registry sends.
     */
    public static HttpServer springBootService(InetSocketAddress address, String path, SpringBootMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext(path, exchange -> {
            byte[] body = metrics.exposition(System.currentTimeMillis() / 1000.0).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return server;
    }

    /** A Slack incoming webhook: records every POSTed body with its arrival time. */
    public static final class Slack implements AutoCloseable {
        private final HttpServer server;
        private final List<Message> messages = new CopyOnWriteArrayList<>();

        public Slack(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/services/hook", exchange -> {
                messages.add(new Message(Instant.now(), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(ok);
                }
            });
            server.start();
        }

        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/hook";
        }

        public List<Message> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** One webhook call. */
    public record Message(Instant at, String body) {
    }
}
