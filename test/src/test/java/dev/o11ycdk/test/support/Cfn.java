package dev.o11ycdk.test.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The readers every test shares over a synthesized template's JSON, its HelmCharts and its Kubernetes manifests. */
public final class Cfn {
    /** YAML as the charts' values and the manifests are read and shown (JSON is YAML). */
    public static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
    public static final String HELM_CHART = "Custom::AWSCDK-EKS-HelmChart";
    public static final String KUBERNETES_MANIFEST = "Custom::AWSCDK-EKS-KubernetesResource";

    private Cfn() {
    }

    /** Every resource of {@code type}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> ofType(Map<String, Object> template, String type) {
        return resources(template).values().stream().map(r -> (Map<String, Object>) r).filter(r -> type.equals(r.get("Type"))).toList();
    }

    /** Every resource of {@code type}, by logical id. */
    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Object>> byType(Map<String, Object> template, String type) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        resources(template).forEach((id, r) -> {
            if (type.equals(((Map<String, Object>) r).get("Type"))) {
                out.put(id, (Map<String, Object>) r);
            }
        });
        return out;
    }

    /**
     * A HelmChart's (or manifest's) JSON text: the string, or the Fn::Join of strings and tokens with
     * each token as {@code <<Ref:Id>>}.
     */
    @SuppressWarnings("unchecked")
    public static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        List<Object> join = (List<Object>) ((Map<String, Object>) value).get("Fn::Join");
        assertThat(join).as("a string or an Fn::Join: %s", value).isNotNull();
        assertThat(join.get(0)).isEqualTo("");
        StringBuilder b = new StringBuilder();
        for (Object part : (List<Object>) join.get(1)) {
            if (part instanceof String s) {
                b.append(s);
            } else {
                Map<String, Object> token = (Map<String, Object>) part;
                Map.Entry<String, Object> e = token.entrySet().iterator().next();
                Object arg = e.getValue() instanceof List<?> l ? String.join(".", l.stream().map(String::valueOf).toList()) : e.getValue();
                b.append("<<").append(e.getKey().replace("Fn::", "")).append(':').append(arg).append(">>");
            }
        }
        return b.toString();
    }

    /** A chart's values, parsed from the HelmChart whose logical id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> helmValues(Map<String, Object> template, String prefix) {
        try {
            return YAML.readValue(text(props(template, HELM_CHART, prefix).get("Values")), Map.class);
        } catch (IOException e) {
            throw new AssertionError("Values of " + prefix + " do not parse", e);
        }
    }

    /** The objects of the KubernetesManifest whose logical id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> manifest(Map<String, Object> template, String prefix) {
        try {
            return YAML.readValue(text(props(template, KUBERNETES_MANIFEST, prefix).get("Manifest")), List.class);
        } catch (IOException e) {
            throw new AssertionError("Manifest of " + prefix + " does not parse", e);
        }
    }

    /**
     * The objects of the KubernetesManifest whose logical id starts with {@code prefix}, with each
     * deploy-time token ({@code <<Ref:Id>>} in {@link #text}) replaced by the value {@code values} gives its id.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> manifest(Map<String, Object> template, String prefix, Map<String, String> values) {
        String text = text(props(template, KUBERNETES_MANIFEST, prefix).get("Manifest"));
        for (Map.Entry<String, String> v : values.entrySet()) {
            text = text.replace("<<Ref:" + v.getKey() + ">>", v.getValue());
        }
        assertThat(text).as("every deploy-time value of %s given", prefix).doesNotContain("<<");
        try {
            return YAML.readValue(text, List.class);
        } catch (IOException e) {
            throw new AssertionError("Manifest of " + prefix + " does not parse", e);
        }
    }

    /** The SSM parameter names the template's parameters read (their Default), CDK's bootstrap version aside. */
    @SuppressWarnings("unchecked")
    public static List<String> ssmParameterNames(Map<String, Object> template) {
        Map<String, Object> parameters = (Map<String, Object>) template.getOrDefault("Parameters", Map.of());
        return parameters.entrySet().stream().filter(e -> !e.getKey().equals("BootstrapVersion"))
                .map(e -> String.valueOf(((Map<String, Object>) e.getValue()).get("Default"))).sorted().toList();
    }

    /** The logical id of the template's parameter that reads the SSM parameter {@code name}. */
    @SuppressWarnings("unchecked")
    public static String ssmParameterId(Map<String, Object> template, String name) {
        Map<String, Object> parameters = (Map<String, Object>) template.getOrDefault("Parameters", Map.of());
        return parameters.entrySet().stream().filter(e -> name.equals(((Map<String, Object>) e.getValue()).get("Default")))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no parameter reads " + name));
    }

    /** The one resource of {@code type}. */
    public static Map<String, Object> onlyResource(Map<String, Object> template, String type) {
        List<Map<String, Object>> all = ofType(template, type);
        assertThat(all).as("resources of type %s", type).hasSize(1);
        return all.get(0);
    }

    /** A resource's Properties. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /**
     * A resource's Tags by key; with {@code propagated} (an Auto Scaling group's), only those it puts on
     * the instances it launches.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> tags(Map<String, Object> resource, boolean propagated) {
        Map<String, String> out = new TreeMap<>();
        for (Object o : (List<Object>) props(resource).getOrDefault("Tags", List.of())) {
            Map<String, Object> tag = (Map<String, Object>) o;
            if (!propagated || Boolean.TRUE.equals(tag.get("PropagateAtLaunch"))) {
                out.put(String.valueOf(tag.get("Key")), String.valueOf(tag.get("Value")));
            }
        }
        return out;
    }

    /** The value at a dotted path of nested maps ({@code grafana.sidecar.dashboards}); fails naming the missing key. */
    @SuppressWarnings("unchecked")
    public static <T> T at(Map<String, Object> map, String dotted) {
        Object o = map;
        for (String k : dotted.split("\\.")) {
            assertThat(o).as("%s has %s", dotted, k).isInstanceOf(Map.class);
            assertThat((Map<String, Object>) o).as(dotted).containsKey(k);
            o = ((Map<String, Object>) o).get(k);
        }
        return (T) o;
    }

    public static String yaml(Object o) {
        try {
            return YAML.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> resources(Map<String, Object> template) {
        return (Map<String, Object>) template.get("Resources");
    }

    /** The Properties of the one resource of {@code type} whose logical id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> props(Map<String, Object> template, String type, String prefix) {
        List<Map<String, Object>> found = resources(template).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(e -> (Map<String, Object>) e.getValue())
                .filter(r -> type.equals(r.get("Type")))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " starting with " + prefix + ", found " + found.size());
        }
        return (Map<String, Object>) found.get(0).get("Properties");
    }

    /** The first container definition of the task definition whose logical id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> container(Map<String, Object> template, String prefix) {
        Map<String, Object> td = props(template, "AWS::ECS::TaskDefinition", prefix);
        return ((List<Map<String, Object>>) td.get("ContainerDefinitions")).get(0);
    }

    /** Every container definition of the task definition whose logical id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> containers(Map<String, Object> template, String prefix) {
        return (List<Map<String, Object>>) props(template, "AWS::ECS::TaskDefinition", prefix).get("ContainerDefinitions");
    }

    /** Environment of a container as a map (name to value; tokens stay as their JSON). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> environment(Map<String, Object> container) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) container.getOrDefault("Environment", List.of())) {
            env.put((String) e.get("Name"), e.get("Value"));
        }
        return env;
    }

    /** Compact JSON of a template fragment, for contains-checks on nested properties. */
    public static String json(Object fragment) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fragment);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
