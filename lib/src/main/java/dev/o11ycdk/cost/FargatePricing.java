package dev.o11ycdk.cost;

import dev.o11ycdk.config.Check;

/**
 * Fargate on-demand prices used by the Cost Estimation dashboard (Linux/x86, USD).
 *
 * @param vcpuHour USD per vCPU-hour
 * @param gbHour   USD per GB-hour of memory
 */
public record FargatePricing(double vcpuHour, double gbHour) {
    /** Hours in the month the dashboard's monthly figures assume (AWS pricing pages use 730). */
    public static final int HOURS_PER_MONTH = 730;

    public FargatePricing {
        if (!(vcpuHour > 0) || !(gbHour > 0)) {
            throw Check.bad("fargatePricing", vcpuHour + "/" + gbHour, "prices must be positive");
        }
    }
}
