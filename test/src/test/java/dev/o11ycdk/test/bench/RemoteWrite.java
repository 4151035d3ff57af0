package dev.o11ycdk.test.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Prometheus remote-write 1.0 client (what {@code --web.enable-remote-write-receiver} reads at
 * {@code /api/v1/write}): a {@code prometheus.WriteRequest} protobuf, snappy block format, POSTed.
 * The protobuf is written by hand (four messages of two fields each, see prometheus/prompb's
 * remote.proto and types.proto) and the snappy block holds the bytes as literals only, which the
 * format allows and every decoder reads: on loopback compression buys nothing, and neither needs a
 * dependency.
 */
public final class RemoteWrite {
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 22);
    private int series;
    private long samples;
    private long totalSamples;

    public RemoteWrite(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/api/v1/write");
    }

    /** A series' labels ({@code __name__} among them) as the protobuf's repeated {@code Label} fields, sorted by name. */
    public static byte[] labels(String name, Map<String, String> labels) {
        SortedMap<String, String> sorted = new TreeMap<>(labels);
        sorted.put("__name__", name);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        for (Map.Entry<String, String> l : sorted.entrySet()) {
            byte[] k = l.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = l.getValue().getBytes(StandardCharsets.UTF_8);
            // TimeSeries.labels = 1 (length-delimited) { Label.name = 1, Label.value = 2 }
            out.write(0x0a);
            varint(out, 2 + varintSize(k.length) + k.length + varintSize(v.length) + v.length);
            out.write(0x0a);
            varint(out, k.length);
            out.writeBytes(k);
            out.write(0x12);
            varint(out, v.length);
            out.writeBytes(v);
        }
        return out.toByteArray();
    }

    /** Adds one series with {@code values[i]} at {@code timestamps[i]} (milliseconds, ascending). */
    public void add(byte[] labels, long[] timestamps, double[] values) {
        ByteArrayOutputStream ts = new ByteArrayOutputStream(labels.length + timestamps.length * 16);
        ts.writeBytes(labels);
        for (int i = 0; i < timestamps.length; i++) {
            // TimeSeries.samples = 2 { Sample.value = 1 (fixed64 double), Sample.timestamp = 2 (varint int64) }
            ts.write(0x12);
            varint(ts, 1 + 8 + 1 + varintSize(timestamps[i]));
            ts.write(0x09);
            long bits = Double.doubleToRawLongBits(values[i]);
            for (int b = 0; b < 8; b++) {
                ts.write((int) (bits >>> (8 * b)) & 0xff);
            }
            ts.write(0x10);
            varint(ts, timestamps[i]);
            samples++;
        }
        // WriteRequest.timeseries = 1
        body.write(0x0a);
        varint(body, ts.size());
        body.writeBytes(ts.toByteArray());
        series++;
    }

    /** Series added since the last flush. */
    public int pending() {
        return series;
    }

    /** Samples sent so far. */
    public long samplesSent() {
        return totalSamples;
    }

    /** Sends what was added as one request; Prometheus answers once the samples are appended. */
    public void flush() {
        if (series == 0) {
            return;
        }
        byte[] compressed = snappyLiteral(body.toByteArray());
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(compressed)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("remote write answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        totalSamples += samples;
        body.reset();
        series = 0;
        samples = 0;
    }

    /** The snappy block format with the input as literals (chunks of at most 65,536 bytes). */
    static byte[] snappyLiteral(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 65_536 * 3 + 16);
        varint(out, in.length);
        for (int off = 0; off < in.length; off += 65_536) {
            int n = Math.min(65_536, in.length - off);
            if (n <= 60) {
                out.write((n - 1) << 2);
            } else if (n <= 256) {
                out.write(60 << 2);
                out.write(n - 1);
            } else {
                out.write(61 << 2);
                out.write((n - 1) & 0xff);
                out.write((n - 1) >>> 8);
            }
            out.write(in, off, n);
        }
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }
}
