package dev.o11ycdk.core;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.PromDuration;
import software.amazon.awscdk.Duration;

/**
 * How every layout sizes a Prometheus: its CPU and memory from the active series it holds, its
 * TSDB's disk from the retention and the scrape interval, and the bounds both must stay within. One
 * model for the EC2 host, the Fargate task and the EKS pod, so the same settings buy the same
 * capacity wherever the platform runs. Explicit sizing is the answer to seed 004's OOM-killed Prometheus.
 */
public final class PrometheusSizing {
    /** Active series a service brings, the seed's estimate (~100 per service). */
    public static final int SERIES_PER_SERVICE = 100;
    /** Memory budget per active series: ~4 KiB in the head block with Go's GC headroom, x4 for queries and compaction. */
    public static final int KIB_PER_SERIES = 16;
    /** Memory of an empty Prometheus: runtime, WAL replay buffers, rule evaluation. */
    public static final int BASE_MIB = 1024;
    /** Active series one vCPU ingests with room for rules and queries (17k samples/s at 15 s). */
    public static final int SERIES_PER_VCPU = 250_000;
    /** Series the platform brings itself (Prometheus, Alertmanager, the exporters), before any service joins. */
    public static final int PLATFORM_SERIES = 3_000;
    /**
     * Series the platform keeps about each service on top of its own: ~10 CloudWatch figures through
     * the exporter (AWS/ECS and Container Insights, for every ECS service in the region), ~3 recorded
     * series, 5 scrape metadata series a task ({@code up}, {@code scrape_*}).
     */
    public static final int PLATFORM_SERIES_PER_SERVICE = 20;
    /** Bytes a sample takes on disk after compression (Prometheus storage docs: 1-2; the upper end, for disk and cost). */
    public static final double BYTES_PER_SAMPLE = 2.0;
    /** The seed's Prometheus task (5 services): the floor. */
    public static final ComputeSize SEED_FLOOR = new ComputeSize(1024, 2048);
    /** The longest retention a layout accepts: ten years. */
    public static final int MAX_RETENTION_DAYS = 3650;

    private static final double GIB = 1024.0 * 1024 * 1024;

    private PrometheusSizing() {
    }

    /**
     * The Prometheus size for an expected number of active series: memory
     * {@code BASE_MIB + (series + PLATFORM_SERIES) x KIB_PER_SERIES / 1024 + sidecarMiB}, CPU one vCPU
     * per {@code SERIES_PER_VCPU} series, rounded up to a valid Fargate size and never below the
     * seed's 1 vCPU / 2 GB. 1,000 services (120k series) get 1 vCPU / 4 GB.
     *
     * @param setting    the setting the series count comes from, named when it cannot fit any task
     * @param sidecarMiB memory the task's sidecars reserve next to Prometheus
     */
    public static ComputeSize forSeries(String setting, long activeSeries, int sidecarMiB) {
        if (activeSeries < 1) {
            throw Check.bad(setting, activeSeries, "must be at least 1");
        }
        long memory = (long) prometheusMemoryMiB(activeSeries) + sidecarMiB;
        long cpu = 1024L * Math.max(1, (activeSeries + SERIES_PER_VCPU - 1) / SERIES_PER_VCPU);
        if (memory > ComputeSize.LARGEST.memoryMiB() || cpu > ComputeSize.LARGEST.cpu()) {
            throw Check.bad(setting, activeSeries, "needs " + cpu + " CPU units / " + memory + " MiB, more than the largest "
                    + "Fargate task (16 vCPU / 120 GB); shard Prometheus or send to Amazon Managed Service for Prometheus");
        }
        ComputeSize s = ComputeSize.roundUp((int) cpu, (int) memory);
        return s.memoryMiB() < SEED_FLOOR.memoryMiB() || s.cpu() < SEED_FLOOR.cpu()
                ? ComputeSize.roundUp(Math.max(s.cpu(), SEED_FLOOR.cpu()), Math.max(s.memoryMiB(), SEED_FLOOR.memoryMiB())) : s;
    }

    /**
     * The active series expected of {@code services} services: the seed's ~100 each plus what the
     * platform keeps about each ({@link #PLATFORM_SERIES_PER_SERVICE}).
     */
    public static long expectedSeries(int services) {
        return (long) services * (SERIES_PER_SERVICE + PLATFORM_SERIES_PER_SERVICE);
    }

    /** The services {@link #expectedSeries} would size for {@code series} (at least one). */
    public static int servicesFor(long series) {
        return (int) Math.max(1, series / (SERIES_PER_SERVICE + PLATFORM_SERIES_PER_SERVICE));
    }

    /** Memory the Prometheus container needs for {@code activeSeries} (and the platform's own) by the formula. */
    public static int prometheusMemoryMiB(long activeSeries) {
        return (int) Math.min(Integer.MAX_VALUE, BASE_MIB + ((activeSeries + PLATFORM_SERIES) * KIB_PER_SERIES + 1023) / 1024);
    }

    /** The active series a Prometheus container of {@code memoryMiB} holds by the same formula. */
    public static long seriesCapacity(int memoryMiB) {
        return Math.max(1, (long) (memoryMiB - BASE_MIB) * 1024 / KIB_PER_SERIES);
    }

    /** {@code retention} in whole days, checked against {@code 1..MAX_RETENTION_DAYS}; {@code setting} names it. */
    public static long retentionDays(String setting, Duration retention) {
        long days = retention.toDays().longValue();
        Check.range(setting, (int) Math.min(days, Integer.MAX_VALUE), 1, MAX_RETENTION_DAYS);
        return days;
    }

    /** What the TSDB holds on disk: every series sampled once a scrape interval for the retention, at {@link #BYTES_PER_SAMPLE}. */
    public static double tsdbBytes(long retentionDays, PromDuration scrapeInterval, long activeSeries) {
        return (double) retentionDays * 86_400 / scrapeInterval.toSeconds() * activeSeries * BYTES_PER_SAMPLE;
    }

    /**
     * Disk above the retained blocks on the host's volume: WAL, compaction and the head block, on a
     * volume it shares with the OS and Grafana; its size-based retention stops the TSDB at 1.1 times.
     */
    public static final double HOST_TSDB_HEADROOM = 1.3;
    /** The same on a volume of its own (an EKS claim), where size-based retention keeps the TSDB at 85 %. */
    public static final double CLAIM_TSDB_HEADROOM = 1.25;

    /** The GiB a TSDB of {@code tsdbBytes} needs with {@code headroom} (e.g. {@link #HOST_TSDB_HEADROOM}), rounded up. */
    public static int volumeGiB(double tsdbBytes, double headroom) {
        return (int) Math.ceil(tsdbBytes * headroom / GIB);
    }
}
