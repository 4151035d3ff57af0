package dev.o11ycdk.core;

import dev.o11ycdk.config.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * A CPU and memory size on AWS Fargate's grid of valid pairs: what a Fargate task is given, and the
 * unit every layout sizes Prometheus in ({@link PrometheusSizing}; on EKS it becomes the pod's
 * requests and limit), so a platform that moves between layouts keeps the same budget. An invalid
 * pair fails {@code cdk synth} rather than the deployment.
 *
 * @param cpu       CPU units (1024 = 1 vCPU)
 * @param memoryMiB memory in MiB
 */
public record ComputeSize(int cpu, int memoryMiB) {
    private static final int[] CPUS = {256, 512, 1024, 2048, 4096, 8192, 16384};
    /** The largest Fargate task: 16 vCPU / 120 GB. */
    public static final ComputeSize LARGEST = new ComputeSize(16_384, 122_880);

    /** Validates the pair; {@code setting} names it in the error (e.g. prometheusCpu/prometheusMemoryMiB). */
    public static ComputeSize of(String setting, int cpu, int memoryMiB) {
        List<Integer> valid = validMemory(cpu);
        if (valid.isEmpty()) {
            throw Check.bad(setting + " cpu", cpu, "Fargate CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384");
        }
        if (!valid.contains(memoryMiB)) {
            throw Check.bad(setting + " memoryMiB", memoryMiB, "is not a Fargate size for cpu " + cpu + "; valid: "
                    + valid.get(0) + ".." + valid.get(valid.size() - 1) + " in steps of "
                    + (valid.size() > 1 ? valid.get(1) - valid.get(0) : 0) + (cpu == 256 ? " (512, 1024, 2048)" : ""));
        }
        return new ComputeSize(cpu, memoryMiB);
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

    /** The smallest valid size with at least this CPU and memory. */
    public static ComputeSize roundUp(int cpu, int memoryMiB) {
        for (int c : CPUS) {
            if (c < cpu) {
                continue;
            }
            for (int m : validMemory(c)) {
                if (m >= memoryMiB) {
                    return new ComputeSize(c, m);
                }
            }
        }
        throw Check.bad("fargate size", cpu + "/" + memoryMiB, "exceeds the largest Fargate task (16 vCPU / 120 GB)");
    }
}
