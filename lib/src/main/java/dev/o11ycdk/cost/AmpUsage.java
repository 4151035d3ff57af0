package dev.o11ycdk.cost;

import java.util.List;
import java.util.Locale;

/**
 * What Amazon Managed Service for Prometheus (AMP) costs a month for the samples a platform's
 * Prometheus remote-writes: ingestion per sample, storage per GB-month, queries per sample processed.
 *
 * <p>Prices: prices.json's {@code ampIngestPer10MSamples}, {@code ampStorageGbMonth} and
 * {@code ampQueryPerBillionSamples}, the first tier of https://aws.amazon.com/prometheus/pricing/ as
 * published for US East (N. Virginia): $0.90 per 10 million samples (first 2 billion a month), $0.03
 * per GB-month, $0.10 per billion query samples processed. prices.json uses them for every region it
 * covers (Seoul, the seed's region, included): an assumption, since the page renders its regional
 * table only in a browser; check it for yours. A high-availability pair's second copy is not charged:
 * AMP de-duplicates on the {@code cluster} and {@code __replica__} labels and bills one copy
 * (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-ingest-dedupe.html).
 */
public final class AmpUsage {
    /** Assumed queries: Grafana's dashboards and ad-hoc queries read each ingested sample this often in a month. */
    public static final int READS_PER_SAMPLE = 10;
    /** Bytes a stored sample takes (the pricing page: "typically 1 or 2 bytes", plus metadata): the upper end. */
    public static final double BYTES_PER_SAMPLE = 2.0;
    private static final double GIB = 1024.0 * 1024 * 1024;

    private AmpUsage() {
    }

    /** Samples ingested a month: {@code series} scraped every {@code scrapeSeconds}, one copy whatever the replicas. */
    public static double samplesPerMonth(long series, long scrapeSeconds) {
        return series * (3600.0 / Math.max(1, scrapeSeconds)) * CostEstimate.HOURS_PER_MONTH;
    }

    /** The three lines (category AMP): ingestion, storage once the workspace holds {@code retentionDays}, queries. */
    public static List<CostEstimate.Line> lines(Prices prices, long series, long scrapeSeconds, int retentionDays) {
        double samples = samplesPerMonth(series, scrapeSeconds);
        double storedGb = series * (86_400.0 / Math.max(1, scrapeSeconds)) * retentionDays * BYTES_PER_SAMPLE / GIB;
        double queried = samples * READS_PER_SAMPLE;
        return List.of(
                new CostEstimate.Line("AMP", String.format(Locale.ROOT, "ingestion, %.1fM samples", samples / 1e6),
                        samples / 1e7 * prices.get("ampIngestPer10MSamples")),
                new CostEstimate.Line("AMP", String.format(Locale.ROOT, "storage, %.2f GB (%d days)", storedGb, retentionDays),
                        storedGb * prices.get("ampStorageGbMonth")),
                new CostEstimate.Line("AMP", String.format(Locale.ROOT, "queries, %.2fB samples processed", queried / 1e9),
                        queried / 1e9 * prices.get("ampQueryPerBillionSamples")));
    }
}
