package dev.o11ycdk.core;

import dev.o11ycdk.config.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * A Fargate task size, checked against AWS's table of valid CPU/memory pairs, so an invalid pair
 * fails {@code cdk synth} rather than the deployment.
 *
 * @param cpu       CPU units (1024 = 1 vCPU)
 * @param memoryMiB memory in MiB
 */
public record FargateSize(int cpu, int memoryMiB) {
    private static final int[] CPUS = {256, 512, 1024, 2048, 4096, 8192, 16384};

    /** Validates the pair; {@code setting} names it in the error (e.g. prometheusCpu/prometheusMemoryMiB). */
    public static FargateSize of(String setting, int cpu, int memoryMiB) {
        List<Integer> valid = validMemory(cpu);
        if (valid.isEmpty()) {
            throw Check.bad(setting + " cpu", cpu, "Fargate CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384");
        }
        if (!valid.contains(memoryMiB)) {
            throw Check.bad(setting + " memoryMiB", memoryMiB, "is not a Fargate size for cpu " + cpu + "; valid: "
                    + valid.get(0) + ".." + valid.get(valid.size() - 1) + " in steps of "
                    + (valid.size() > 1 ? valid.get(1) - valid.get(0) : 0) + (cpu == 256 ? " (512, 1024, 2048)" : ""));
        }
        return new FargateSize(cpu, memoryMiB);
    }

    /** Valid memory sizes (MiB) for a CPU value; empty when the CPU value itself is invalid. */
    public static List<Integer> validMemory(int cpu) {
        List<Integer> m = new ArrayList<>();
        switch (cpu) {
            case 256 -> m.addAll(List.of(512, 1024, 2048));
            case 512 -> range(m, 1024, 4096, 1024);
            case 1024 -> range(m, 2048, 8192, 1024);
            case 2048 -> range(m, 4096, 16384, 1024);
            case 4096 -> range(m, 8192, 30720, 1024);
            case 8192 -> range(m, 16384, 61440, 4096);
            case 16384 -> range(m, 32768, 122880, 8192);
            default -> { }
        }
        return m;
    }

    private static void range(List<Integer> m, int from, int to, int step) {
        for (int v = from; v <= to; v += step) {
            m.add(v);
        }
    }

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
    public static final FargateSize SEED_FLOOR = new FargateSize(1024, 2048);

    /**
     * The Prometheus task for an expected number of active series: memory
     * {@code BASE_MIB + (series + PLATFORM_SERIES) x KIB_PER_SERIES / 1024 + sidecarMiB}, CPU one vCPU
     * per {@code SERIES_PER_VCPU} series, rounded up to a valid Fargate size and never below the
     * seed's 1 vCPU / 2 GB. 1,000 services (120k series) get 1 vCPU / 4 GB. Explicit sizing is the
     * answer to seed 004's OOM-killed Prometheus.
     *
     * @param setting    the setting the series count comes from, named when it cannot fit any task
     * @param sidecarMiB memory the task's sidecars reserve next to Prometheus
     */
    public static FargateSize forPrometheus(String setting, long activeSeries, int sidecarMiB) {
        if (activeSeries < 1) {
            throw Check.bad(setting, activeSeries, "must be at least 1");
        }
        long memory = (long) prometheusMemoryMiB(activeSeries) + sidecarMiB;
        long cpu = 1024L * Math.max(1, (activeSeries + SERIES_PER_VCPU - 1) / SERIES_PER_VCPU);
        if (memory > 122_880 || cpu > 16_384) {
            throw Check.bad(setting, activeSeries, "needs " + cpu + " CPU units / " + memory + " MiB, more than the largest "
                    + "Fargate task (16 vCPU / 120 GB); shard Prometheus or send to Amazon Managed Service for Prometheus");
        }
        FargateSize s = roundUp((int) cpu, (int) memory);
        return s.memoryMiB() < SEED_FLOOR.memoryMiB() || s.cpu() < SEED_FLOOR.cpu() ? roundUp(Math.max(s.cpu(), SEED_FLOOR.cpu()),
                Math.max(s.memoryMiB(), SEED_FLOOR.memoryMiB())) : s;
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

    /** The smallest valid Fargate size with at least this CPU and memory. */
    public static FargateSize roundUp(int cpu, int memoryMiB) {
        for (int c : CPUS) {
            if (c < cpu) {
                continue;
            }
            for (int m : validMemory(c)) {
                if (m >= memoryMiB) {
                    return new FargateSize(c, m);
                }
            }
        }
        throw Check.bad("fargate size", cpu + "/" + memoryMiB, "exceeds the largest Fargate task (16 vCPU / 120 GB)");
    }
}
