package dev.tollgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration Tollgate reads, by environment variable: the properties of application.properties (also the
 * documented, commented-out ones, and profile-specific ones), every {@code @ConfigProperty(name = ...)} and every
 * {@code @ConfigMapping} of src/main/java, and the Quarkus extensions that application.properties configures (any
 * property of {@code quarkus.oidc.*} is read when {@code quarkus.oidc} is in use).
 */
final class ConfigurationNames {

    /** {@code name=}, {@code %prod.name=} or {@code # name=} (a documented setting). */
    private static final Pattern PROPERTY_LINE = Pattern.compile(
            "^\\s*(?:#\\s*)?(?:%[\\w-]+\\.)?([a-z][A-Za-z0-9.\\-\"_]*\\.[A-Za-z0-9.\\-\"_]+)\\s*=");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MAPPING_METHOD = Pattern.compile("(?m)^\\s+[\\w<>\\[\\], ?]+\\s+(\\w+)\\(\\);");
    /** Quarkus' own settings that belong to no extension. */
    private static final Set<String> QUARKUS_CORE = Set.of("quarkus.profile");

    private final Set<String> environmentNames = new TreeSet<>();
    private final Set<String> quarkusRoots = new TreeSet<>();

    private ConfigurationNames() {
    }

    static ConfigurationNames ofTheApplication() {
        ConfigurationNames names = new ConfigurationNames();
        try {
            for (String line : Files.readAllLines(
                    Manifests.PROJECT.resolve("src/main/resources/application.properties"))) {
                Matcher m = PROPERTY_LINE.matcher(line);
                if (m.find()) {
                    names.add(m.group(1));
                }
            }
            try (Stream<Path> sources = Files.walk(Manifests.PROJECT.resolve("src/main/java"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    names.addFromSource(Files.readString(source));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        QUARKUS_CORE.forEach(names::add);
        return names;
    }

    /** A property's environment form: upper case, every other character than a letter or digit an underscore. */
    static String environmentForm(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Whether the application reads the environment variable, directly or as the property it stands for. */
    boolean reads(String environmentVariable) {
        return environmentNames.contains(environmentVariable)
                || quarkusRoots.stream().anyMatch(environmentVariable::startsWith);
    }

    private void add(String property) {
        environmentNames.add(environmentForm(property));
        if (property.startsWith("quarkus.")) {
            String root = property.split("\\.")[1];
            quarkusRoots.add(environmentForm("quarkus." + root + "."));
        }
    }

    private void addFromSource(String source) {
        Matcher property = CONFIG_PROPERTY.matcher(source);
        while (property.find()) {
            add(property.group(1));
        }
        Matcher mapping = CONFIG_MAPPING.matcher(source);
        if (mapping.find()) {
            Matcher method = MAPPING_METHOD.matcher(source.substring(mapping.end()));
            while (method.find()) {
                add(mapping.group(1) + "." + kebab(method.group(1)));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
