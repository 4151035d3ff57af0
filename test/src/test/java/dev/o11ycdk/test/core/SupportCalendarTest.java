package dev.o11ycdk.test.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.core.SupportCalendar;
import dev.o11ycdk.core.SupportCalendar.Status;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SupportCalendar}'s verdicts on pinned dates, one policy each: a dated LTS line
 * (Prometheus 3.13), a minor's support window (Grafana 13.2), a project that fixes only its newest
 * release (Alertmanager), and EKS's standard and extended support; then the data itself.
 */
class SupportCalendarTest {
    static final SupportCalendar CALENDAR = SupportCalendar.standard();

    static Status status(String component, String version, String day) {
        return CALENDAR.verdict(component, version, LocalDate.parse(day)).status();
    }

    static String message(String component, String version, String day) {
        return CALENDAR.verdict(component, version, LocalDate.parse(day)).message();
    }

    @Test
    void prometheusLtsIsSupportedUntilSixtyDaysBeforeItsEndThenEndsSoonThenEnded() {
        // 3.13 LTS ends 2027-07-31: the first day without support.
        assertThat(status("prometheus", "3.13.2", "2027-05-31")).isEqualTo(Status.SUPPORTED);
        assertThat(status("prometheus", "3.13.2", "2027-06-01")).isEqualTo(Status.ENDS_SOON);
        assertThat(status("prometheus", "3.13.2", "2027-07-30")).isEqualTo(Status.ENDS_SOON);
        assertThat(status("prometheus", "3.13.2", "2027-07-31")).isEqualTo(Status.ENDED);
        assertThat(status("prometheus", "3.13.9", "2027-08-01")).isEqualTo(Status.ENDED);
        assertThat(message("prometheus", "3.13.2", "2027-05-31")).isEqualTo("Prometheus 3.13 is supported until 2027-07-31");
        assertThat(message("prometheus", "3.13.2", "2027-06-01")).isEqualTo("Prometheus 3.13 leaves support on 2027-07-31, in 60 "
                + "days; the calendar names no newer version yet: check https://github.com/prometheus/prometheus/releases and update "
                + "support-calendar.json");
        assertThat(message("prometheus", "2.51.1", "2024-05-01")).isEqualTo("Prometheus 2.51 left support on 2024-04-30; move to 3.13.2");
    }

    @Test
    void grafanaMinorEndsNineMonthsAfterItsRelease() {
        // 13.2: released 2026-08-18, security support until 2027-05-18.
        assertThat(status("grafana", "13.2.3", "2027-03-18")).isEqualTo(Status.SUPPORTED);
        assertThat(status("grafana", "13.2.3", "2027-03-19")).isEqualTo(Status.ENDS_SOON);
        assertThat(status("grafana", "13.2.3", "2027-05-19")).isEqualTo(Status.ENDED);
        assertThat(message("grafana", "10.4.2", "2025-06-06")).isEqualTo("Grafana 10.4 left security support on 2025-06-05; move to 13.2.3");
        // The last minor of a major gets 15 months: 12.4 outlives 13.0.
        assertThat(status("grafana", "12.4.9", "2027-01-10")).isEqualTo(Status.SUPPORTED);
        assertThat(status("grafana", "13.0.7", "2027-01-10")).isEqualTo(Status.ENDED);
    }

    @Test
    void alertmanagerLineEndsWhenItsSuccessorComesOutAndTheNewestIsReviewedByItsDate() {
        assertThat(status("alertmanager", "0.27.0", "2025-01-16")).isEqualTo(Status.ENDED);
        assertThat(message("alertmanager", "0.27.0", "2025-01-16")).isEqualTo("Alertmanager 0.27 left support on 2025-01-15, when "
                + "0.28.0 came out (only the newest release gets fixes); move to 0.34.1");
        // The newest line has no end, only the day its data is due for review.
        assertThat(status("alertmanager", "0.34.1", "2026-11-16")).isEqualTo(Status.SUPPORTED);
        assertThat(status("alertmanager", "0.34.1", "2026-11-17")).isEqualTo(Status.REVIEW_DUE);
        assertThat(message("alertmanager", "0.34.1", "2026-11-17")).isEqualTo("Alertmanager fixes only its newest release, and the "
                + "calendar's entry for 0.34 was due for review on 2026-11-16: its data may be stale (a newer release would end 0.34's "
                + "support); check https://github.com/prometheus/alertmanager/releases and update support-calendar.json");
        assertThat(Status.REVIEW_DUE.warns()).isTrue();
        assertThat(Status.REVIEW_DUE.fails()).isFalse();
    }

    @Test
    void aVersionOfNoKnownLineIsUnknownAndWarns() {
        assertThat(status("alertmanager", "0.35.0", "2026-12-04")).isEqualTo(Status.UNKNOWN);
        assertThat(status("grafana", "9.5.3", "2026-12-04")).isEqualTo(Status.UNKNOWN);
        assertThat(message("alertmanager", "0.35.0", "2026-12-04")).isEqualTo("the support calendar does not know Alertmanager "
                + "0.35.0: check its support yourself (https://github.com/prometheus/alertmanager/releases) and add it to "
                + "support-calendar.json; the calendar recommends 0.34.1");
        assertThat(Status.UNKNOWN.warns()).isTrue();
        assertThat(Status.UNKNOWN.fails()).isFalse();
    }

    @Test
    void eksVersionEndsSoonThenCostsExtendedSupportThenEnds() {
        // 1.34: standard support until 2026-12-02, extended until 2027-12-02.
        assertThat(status("eks-kubernetes", "1.34", "2026-10-02")).isEqualTo(Status.SUPPORTED);
        assertThat(message("eks-kubernetes", "1.34", "2026-10-02")).isEqualTo("EKS Kubernetes 1.34 is in standard support until "
                + "2026-12-02 (then paid extended support until 2027-12-02)");
        assertThat(status("eks-kubernetes", "1.34", "2026-10-03")).isEqualTo(Status.ENDS_SOON);
        assertThat(message("eks-kubernetes", "1.34", "2026-10-03")).isEqualTo("EKS Kubernetes 1.34 leaves standard support on "
                + "2026-12-02, in 60 days (then paid extended support until 2027-12-02); move to 1.35");
        assertThat(status("eks-kubernetes", "1.34", "2026-12-02")).isEqualTo(Status.EXTENDED);
        assertThat(status("eks-kubernetes", "1.34", "2027-12-01")).isEqualTo(Status.EXTENDED);
        assertThat(status("eks-kubernetes", "1.34", "2027-12-02")).isEqualTo(Status.ENDED);
    }

    @Test
    void aVersionBelongsToItsLongestLineAndALeadingVIsIgnored() {
        assertThat(CALENDAR.component("prometheus").lineOf("3.1.0").line()).isEqualTo("3.1");
        assertThat(CALENDAR.component("prometheus").lineOf("3.13.2").line()).isEqualTo("3.13");
        assertThat(CALENDAR.component("prometheus").lineOf("3.130.0")).isNull();
        assertThat(message("aws-load-balancer-controller", "v2.17.1", "2026-12-04")).isEqualTo("the AWS Load Balancer Controller "
                + "2.17 left support on 2026-01-23, when v3.0.0 came out (only the newest release gets fixes); move to v3.5.0");
        assertThat(CALENDAR.component("kube-prometheus-stack").lineOf("92.3.0").line()).isEqualTo("92");
    }

    @Test
    void everyComponentNamesItsSourcesAndWhenTheyWereChecked() {
        assertThat(CALENDAR.components()).containsExactly("prometheus", "grafana", "alertmanager", "node_exporter",
                "cloudwatch-exporter", "adot-collector", "kube-prometheus-stack", "loki-chart", "alloy-chart",
                "external-secrets-chart", "aws-load-balancer-controller", "eks-kubernetes", "aurora-postgresql");
        for (String id : CALENDAR.components()) {
            SupportCalendar.Component c = CALENDAR.component(id);
            assertThat(c.source()).as(id).isNotBlank().containsPattern("https://|@ [0-9a-f]{7,40}|index");
            assertThat(c.checked()).as(id).isAfter(LocalDate.of(2026, 1, 1));
            assertThat(c.releases()).as(id).startsWith("https://");
            assertThat(c.policyText()).as(id).isNotBlank();
            // What it recommends was supported when it was checked.
            assertThat(CALENDAR.verdict(id, c.recommended(), c.checked()).status()).as(id).isNotIn(Status.ENDED, Status.UNKNOWN);
            for (SupportCalendar.Line l : c.lines()) {
                if (l.released() != null && l.ends() != null) {
                    assertThat(l.released()).as(id + " " + l.line()).isBeforeOrEqualTo(l.ends());
                }
            }
            if (c.policy() == SupportCalendar.Policy.LATEST_ONLY) {
                assertThat(c.lines().stream().filter(l -> l.ends() == null).toList()).as(id + ": one newest line, with a review date")
                        .singleElement().satisfies(l -> assertThat(l.reviewBy()).isNotNull());
            }
        }
    }

    @Test
    void aMaintainersMistakeInTheDataFailsWhenItIsRead() {
        String line = "{\"line\": \"1.0\", \"released\": \"2026-01-01\", \"ends\": \"2026-02-01\"}";
        assertThatThrownBy(() -> SupportCalendar.fromJson(calendar("latest-only", line, "1.1", "\"source\": \"https://x\",")))
                .hasMessage("the calendar component 'x' line '1.0': ends on 2026-02-01: name the release that ended it in 'endedBy'");
        assertThatThrownBy(() -> SupportCalendar.fromJson(calendar("dated", line.replace("2026-02-01", "2026-02-30"), "1.0",
                "\"source\": \"https://x\","))).hasMessage("the calendar component 'x' line '1.0': 'ends' = '2026-02-30' is not a date "
                        + "such as 2027-07-31");
        assertThatThrownBy(() -> SupportCalendar.fromJson(calendar("dated", line, "1.0", ""))).hasMessage("the calendar component "
                + "'x': needs 'source'");
        assertThatThrownBy(() -> SupportCalendar.fromJson(calendar("dated", line, "1.0", "\"source\": \"https://x\","))).hasMessage(
                "the calendar component 'x': recommends 1.0, whose line ended on 2026-02-01 (checked 2026-06-01)");
        assertThatThrownBy(() -> CALENDAR.verdict("prometheus2", "2.51.1", LocalDate.of(2026, 1, 1)))
                .hasMessageStartingWith("the support calendar has no component 'prometheus2'; it has [prometheus, grafana,");
    }

    @Test
    void aTeamCanReadACalendarOfItsOwn() {
        SupportCalendar own = SupportCalendar.fromJson(calendar("dated", "{\"line\": \"1.0\", \"ends\": \"2027-01-01\"}", "1.0.4",
                "\"source\": \"https://x\","));
        assertThat(own.components()).isEqualTo(List.of("x"));
        assertThat(own.verdict("x", "1.0.4", LocalDate.of(2026, 12, 1)).message()).isEqualTo("X 1.0 leaves support on 2027-01-01, "
                + "in 31 days; the calendar names no newer version yet: check https://x/releases and update support-calendar.json");
    }

    private static String calendar(String policy, String line, String recommended, String source) {
        return "{\"components\": [{\"id\": \"x\", \"name\": \"X\", \"policy\": \"" + policy + "\", \"policyText\": \"p\", "
                + "\"support\": \"support\", \"recommended\": \"" + recommended + "\", \"releases\": \"https://x/releases\", " + source
                + " \"checked\": \"2026-06-01\", \"lines\": [" + line + "]}]}";
    }
}
