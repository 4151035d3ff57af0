package dev.o11ycdk.app;

import dev.o11ycdk.core.SupportCalendar;
import dev.o11ycdk.fargate.GrafanaDatabase;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Stack;

/**
 * Every pinned version the app deploys, read against the support calendar on the pinnable date
 * ({@code @o11y-cdk/today}). A pin past its end stops synth with one line per pin; one that ends
 * within {@link SupportCalendar#WARN_DAYS} days, costs extended support, has stale calendar data or
 * is a version the calendar does not know becomes a synth warning
 * ({@code @o11y-cdk/support:<component>}). Only the layouts in {@code layouts} count: a chart
 * version matters only with eks, the host's node_exporter only with ec2.
 */
public final class SupportChecks {
    /**
     * The context key of the day the calendar is read for; unset, the real date. Not a cdk.json
     * setting: it pins the date (in tests, or to reproduce a verdict), so a synth does not change its
     * verdict when a date passes.
     */
    public static final String TODAY_KEY = "@o11y-cdk/today";

    /** The calendar's warning id prefix; the component id follows. */
    public static final String WARNING_ID = "@o11y-cdk/support:";

    private SupportChecks() {
    }

    /**
     * One pinned version: a cdk.json setting, or a constant of the app's code (not a setting).
     *
     * @param name      the cdk.json key, or the constant's name ({@code NewCluster.ALB_CONTROLLER})
     * @param setting   true for a cdk.json setting
     * @param component the calendar's component id
     * @param version   as pinned
     * @param layouts   the layouts in use that deploy it, in the app's order
     */
    public record Pin(String name, String constantFile, String component, String version, List<String> layouts) {
        /** A setting of cdk.json; else a constant, in {@link #constantFile}. */
        public boolean setting() {
            return constantFile == null;
        }

        /** What a line about it starts with: {@code setting 'grafanaVersion' = '10.4.2'} or the constant's equivalent. */
        String subject(Object asGiven) {
            return setting() ? Context.subject(name, asGiven)
                    : "constant '" + name + "' = '" + version + "' (" + constantFile + ", not a setting)";
        }
    }

    /** The pins the layouts in {@code s.layouts()} deploy. */
    public static List<Pin> inUse(Settings s) {
        List<Pin> all = new ArrayList<>();
        // The EKS layout sets the chart's images to the same versions as the host and Fargate run.
        List<String> every = List.of("ec2", "fargate", "eks");
        all.add(pin("prometheusVersion", "prometheus", s.prometheusRelease().version(), every, s));
        all.add(pin("alertmanagerVersion", "alertmanager", s.alerting().alertmanagerRelease().version(), every, s));
        all.add(pin("grafanaVersion", "grafana", s.grafanaRelease().version(), every, s));
        all.add(pin("nodeExporterVersion", "node_exporter", s.nodeExporterRelease().version(), List.of("ec2", "eks"), s));
        all.add(pin("cloudwatchExporterVersion", "cloudwatch-exporter", s.fargate().cloudwatchExporterVersion(), List.of("fargate"), s));
        all.add(pin("adotCollectorVersion", "adot-collector", s.fargate().adotCollectorVersion(), List.of("fargate"), s));
        all.add(pin("eksKubernetesVersion", "eks-kubernetes", s.eks().kubernetesVersion(), List.of("eks"), s));
        all.add(pin("kubePrometheusStackVersion", "kube-prometheus-stack", s.eks().kubePrometheusStackVersion(), List.of("eks"), s));
        all.add(pin("lokiVersion", "loki-chart", s.eks().lokiVersion(), List.of("eks"), s));
        all.add(pin("alloyVersion", "alloy-chart", s.eks().alloyVersion(), List.of("eks"), s));
        all.add(pin("externalSecretsVersion", "external-secrets-chart", s.eks().externalSecretsVersion(), List.of("eks"), s));
        if (s.eks().clusterName() == null) {
            // Only a cluster the app creates gets the controller; an existing cluster's is its owner's.
            all.add(new Pin("NewCluster.ALB_CONTROLLER", "app/src/main/java/dev/o11ycdk/app/NewCluster.java", "aws-load-balancer-controller", NewCluster.ALB_CONTROLLER.getVersion(),
                    s.layouts().contains("eks") ? List.of("eks") : List.of()));
        }
        if (s.fargate().grafanaDatabase().equals("aurora")) {
            all.add(new Pin("GrafanaDatabase.ENGINE_VERSION", "lib/src/main/java/dev/o11ycdk/fargate/GrafanaDatabase.java", "aurora-postgresql",
                    GrafanaDatabase.ENGINE_VERSION.getAuroraPostgresFullVersion(), s.layouts().contains("fargate") ? List.of("fargate") : List.of()));
        }
        return all.stream().filter(p -> !p.layouts().isEmpty()).toList();
    }

    private static Pin pin(String setting, String component, String version, List<String> layouts, Settings s) {
        return new Pin(setting, null, component, version, layouts.stream().filter(s.layouts()::contains).toList());
    }

    /** The calendar's verdict on each pin in use. */
    static List<Map.Entry<Pin, SupportCalendar.Verdict>> verdicts(Settings s) {
        SupportCalendar calendar = SupportCalendar.standard();
        return inUse(s).stream().map(p -> Map.entry(p, calendar.verdict(p.component(), p.version(), s.today()))).toList();
    }

    /** Stops synth, one line per pin past its end, before any construct is built. */
    static void requireNotEnded(Context c, Settings s) {
        List<String> lines = verdicts(s).stream().filter(v -> v.getValue().status().fails())
                .map(v -> line(c, v.getKey(), v.getValue())).toList();
        if (!lines.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", lines));
        }
    }

    /** The warnings, each on the first stack (ec2, fargate, eks) that deploys the pin. */
    static void warn(Context c, Settings s, O11yApp.Stacks stacks) {
        for (Map.Entry<Pin, SupportCalendar.Verdict> v : verdicts(s)) {
            if (!v.getValue().status().warns()) {
                continue;
            }
            String first = v.getKey().layouts().get(0);
            Stack stack = first.equals("ec2") ? stacks.ec2Host() : first.equals("fargate") ? stacks.fargate() : stacks.eks();
            String id = v.getValue().status() == SupportCalendar.Status.EXTENDED && v.getKey().component().equals("eks-kubernetes")
                    ? "@o11y-cdk/eks:extendedSupport" : WARNING_ID + v.getKey().component();
            Annotations.of(stack).addWarningV2(id, line(c, v.getKey(), v.getValue()));
        }
    }

    /** {@code setting 'key' = <value as given>: <the verdict>}, with EKS's own words on extended support and its end. */
    static String line(Context c, Pin p, SupportCalendar.Verdict v) {
        String why = v.message();
        if (p.component().equals("eks-kubernetes") && v.status() == SupportCalendar.Status.ENDED) {
            // Twelve months of extended support follow standard support; then EKS upgrades the cluster itself.
            String rec = v.component().recommended();
            why = "EKS support of " + v.line().line() + " ended on " + v.line().ends() + " (extended support included) and EKS creates "
                    + "no such cluster; use " + rec + " (standard support until " + v.component().lineOf(rec).extendedFrom() + ")";
        } else if (p.component().equals("eks-kubernetes") && v.status() == SupportCalendar.Status.EXTENDED) {
            return "eksKubernetesVersion " + v.line().line() + " left EKS standard support on " + v.line().extendedFrom()
                    + ": the control plane costs $0.60 an hour in extended support instead of $0.10 (six times); upgrade the cluster";
        }
        return p.subject(p.setting() ? c.raw(p.name()) : null) + ": " + why;
    }

    /** The day to read the calendar for: {@code @o11y-cdk/today}, else the real date. */
    static LocalDate today(Context c) {
        String given = c.optional(TODAY_KEY);
        try {
            return given == null ? LocalDate.now() : LocalDate.parse(given);
        } catch (java.time.format.DateTimeParseException e) {
            throw c.bad(TODAY_KEY, "a date such as 2026-11-21");
        }
    }
}
