package dev.o11ycdk.core;

import dev.o11ycdk.config.Check;

/** EBS's bounds on the volumes the layouts size (the host's data, the EKS charts' claims). */
public final class Ebs {
    /** gp3's largest volume (16 TiB). */
    public static final int MAX_GP3_GIB = 16_384;

    private Ebs() {
    }

    /**
     * A gp3 volume of {@code gib}, or a one-line error naming {@code setting} and its {@code value} when it
     * is above gp3's 16 TiB; {@code holding} says what the volume holds (e.g. "15 days").
     */
    public static int gp3(String setting, Object value, int gib, String holding) {
        if (gib > MAX_GP3_GIB) {
            throw Check.bad(setting, value, "needs a " + gib + " GiB volume for " + holding + "; above the 16 TiB gp3 limit");
        }
        return gib;
    }
}
