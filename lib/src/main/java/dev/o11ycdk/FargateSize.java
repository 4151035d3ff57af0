package dev.o11ycdk;

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

    /**
     * Prometheus sizing from the number of scrape targets, after the seed's table (5 → 1 vCPU / 2 GB,
     * 10 → 1.5 vCPU / 3 GB, 20 → 2 vCPU / 4 GB; past 20, +0.5 vCPU / +1 GB per 10 targets), rounded
     * up to the nearest valid Fargate size (1.5 vCPU is not one: 10 targets get 2 vCPU / 4 GB).
     * Explicit sizing is the answer to seed 004's OOM-killed Prometheus.
     */
    public static FargateSize forPrometheusTargets(int targets) {
        Check.range("scrape target count", targets, 0, 10_000);
        double vcpu;
        double gb;
        if (targets <= 5) {
            vcpu = 1;
            gb = 2;
        } else if (targets <= 10) {
            vcpu = 1 + 0.5 * (targets - 5) / 5.0;
            gb = 2 + (targets - 5) / 5.0;
        } else {
            vcpu = 1.5 + 0.5 * (targets - 10) / 10.0;
            gb = 3 + (targets - 10) / 10.0;
        }
        return roundUp((int) Math.ceil(vcpu * 1024), (int) Math.ceil(gb * 1024));
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
