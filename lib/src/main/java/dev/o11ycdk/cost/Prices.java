package dev.o11ycdk.cost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.cost.FargatePricing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A region's list prices, kept as data in {@code prices.json} next to this class (one entry per
 * region; add yours by copying one). Every estimate and the Cost Estimation dashboard read them here.
 */
public final class Prices {
    private static JsonNode all;
    private final String region;
    private final JsonNode p;

    private Prices(String region, JsonNode p) {
        this.region = region;
        this.p = p;
    }

    /** The region's prices, or empty when prices.json has none for it. */
    public static Optional<Prices> forRegion(String region) {
        JsonNode p = table().get(region);
        return p == null || !p.isObject() ? Optional.empty() : Optional.of(new Prices(region, p));
    }

    /**
     * The region's prices, else the seed's region's (Seoul, ap-northeast-2), for figures that need
     * some price (the Cost Estimation dashboard); {@link #forRegion} says whether the region has its own.
     */
    public static Prices forRegionOrSeed(String region) {
        return forRegion(region).orElseGet(() -> forRegion(SEED_REGION).orElseThrow());
    }

    /** The seed's region, whose prices stand in for a region prices.json does not cover. */
    public static final String SEED_REGION = "ap-northeast-2";

    /** The regions prices.json covers. */
    public static List<String> regions() {
        List<String> out = new ArrayList<>();
        table().fieldNames().forEachRemaining(n -> {
            if (!n.startsWith("_")) {
                out.add(n);
            }
        });
        return out;
    }

    private static synchronized JsonNode table() {
        if (all == null) {
            try (InputStream in = Prices.class.getResourceAsStream("prices.json")) {
                all = Rendering.jsonMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prices.json", e);
            }
        }
        return all;
    }

    public String region() {
        return region;
    }

    /** One price by its key in prices.json (e.g. natHour). */
    public double get(String key) {
        JsonNode v = p.get(key);
        if (v == null || !v.isNumber()) {
            throw Check.bad("prices.json " + region + "." + key, null, "missing");
        }
        return v.asDouble();
    }

    /** The hourly price of an EC2 instance type, when prices.json lists it. */
    public Optional<Double> ec2Hour(String instanceType) {
        JsonNode v = p.path("ec2Hour").get(instanceType);
        return v == null ? Optional.empty() : Optional.of(v.asDouble());
    }

    /** Fargate's vCPU and GB prices, for the Cost Estimation dashboard. */
    public FargatePricing fargate() {
        return new FargatePricing(get("fargateVcpuHour"), get("fargateGbHour"));
    }
}
