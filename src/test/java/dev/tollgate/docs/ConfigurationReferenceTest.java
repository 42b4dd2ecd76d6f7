package dev.tollgate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.OutboxConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The table "Tollgate's settings" in docs/operations.md is the code's: one row for each {@code tollgate.*} setting
 * that a config mapping or a {@code @ConfigProperty} reads, with its environment variable and its default taken
 * from the code. {@code TOLLGATE_DOCS_REGENERATE=true mvn -q test -Dtest=ConfigurationReferenceTest} writes the
 * first three columns again from the code and keeps each row's meaning; a new setting gets an empty meaning, which
 * this test then asks for.
 */
class ConfigurationReferenceTest {

    private static final Path OPERATIONS = Path.of(System.getProperty("tollgate.project.dir", "."), "docs/operations.md");
    private static final String HEADING = "### Tollgate's settings";
    private static final String HEADER = "| Setting | Environment variable | Default | Meaning |\n|---|---|---|---|\n";
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]*)` \\| (.*?) \\| (.*) \\|$");
    private static final String NO_DEFAULT = "(none)";

    /** A setting as the code reads it. */
    record Setting(String name, String defaultValue, String readBy) {
        String environmentVariable() {
            return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        }
    }

    /** A row of the table. */
    record Row(String name, String environmentVariable, String defaultValue, String meaning) {
    }

    @Test
    void theTableListsEverySettingTheCodeReadsWithItsVariableAndDefault() throws Exception {
        Map<String, Setting> settings = settingsInCode();
        String document = Files.readString(OPERATIONS);
        if (Boolean.parseBoolean(System.getenv("TOLLGATE_DOCS_REGENERATE"))) {
            document = regenerate(document, settings);
            Files.writeString(OPERATIONS, document);
        }
        Map<String, Row> rows = rows(document);

        assertThat(rows.keySet()).as("the settings of the table, against those the code reads")
                .containsExactlyElementsOf(settings.keySet());
        for (Setting setting : settings.values()) {
            Row row = rows.get(setting.name());
            assertThat(row.environmentVariable()).as(setting.name()).isEqualTo(setting.environmentVariable());
            assertThat(row.defaultValue()).as("the default of %s (read by %s)", setting.name(), setting.readBy())
                    .isEqualTo(setting.defaultValue() == null ? NO_DEFAULT : "`" + setting.defaultValue() + "`");
            assertThat(row.meaning()).as("what %s means", setting.name()).isNotBlank();
        }
    }

    @Test
    void settingsAreFoundInConfigMappingsAndInjectedProperties() throws Exception {
        Map<String, Setting> settings = settingsInCode();

        assertThat(settings.get("tollgate.outbox.create-topics").defaultValue()).isEqualTo("true");
        assertThat(settings.get("tollgate.outbox.topic-retention").defaultValue()).isNull();
        assertThat(settings.get("tollgate.timers.poll-interval").defaultValue()).isEqualTo("1s");
        assertThat(settings.get("tollgate.pipelines.directory").defaultValue()).isNull();
    }

    /** Every {@code tollgate.*} setting of Tollgate's classes, by name. */
    static Map<String, Setting> settingsInCode() throws Exception {
        Path classes = Path.of(OutboxConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Setting> settings = new TreeMap<>();
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/tollgate"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                types.add(Class.forName(name, false, ConfigurationReferenceTest.class.getClassLoader()));
            }
        }
        for (Class<?> type : types) {
            ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
            if (mapping != null) {
                for (Method method : type.getDeclaredMethods()) {
                    if (Modifier.isAbstract(method.getModifiers()) && method.getParameterCount() == 0) {
                        WithName renamed = method.getAnnotation(WithName.class);
                        String name = mapping.prefix() + "." + (renamed != null ? renamed.value() : kebab(method.getName()));
                        WithDefault fallback = method.getAnnotation(WithDefault.class);
                        add(settings, new Setting(name, fallback == null ? null : fallback.value(), type.getSimpleName()));
                    }
                }
            }
            List<AnnotatedElement> elements = new ArrayList<>(List.of(type.getDeclaredFields()));
            List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            executables.addAll(List.of(type.getDeclaredMethods()));
            for (Executable executable : executables) {
                elements.addAll(List.of(executable.getParameters()));
            }
            for (AnnotatedElement element : elements) {
                ConfigProperty property = element.getAnnotation(ConfigProperty.class);
                if (property != null && property.name().startsWith("tollgate.")) {
                    String fallback = property.defaultValue().equals(ConfigProperty.UNCONFIGURED_VALUE)
                            ? null : property.defaultValue();
                    add(settings, new Setting(property.name(), fallback, type.getSimpleName() + "." + name(element)));
                }
            }
        }
        return settings;
    }

    /** Records a setting; two places that read one setting must agree on its default. */
    private static void add(Map<String, Setting> settings, Setting setting) {
        Setting known = settings.putIfAbsent(setting.name(), setting);
        if (known != null) {
            assertThat(setting.defaultValue()).as("%s has one default: %s and %s read it", setting.name(),
                    known.readBy(), setting.readBy()).isEqualTo(known.defaultValue());
        }
    }

    private static String name(AnnotatedElement element) {
        if (element instanceof Field field) {
            return field.getName();
        }
        if (element instanceof Parameter parameter) {
            return parameter.getDeclaringExecutable().getName() + "(" + parameter.getName() + ")";
        }
        return element.toString();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The rows of the table under {@value #HEADING}. */
    private static Map<String, Row> rows(String document) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : table(document).lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                rows.put(row.group(1), new Row(row.group(1), row.group(2), row.group(3), row.group(4)));
            }
        }
        return rows;
    }

    /** The table's text: from its header to the first line that is not a row. */
    private static String table(String document) {
        int heading = document.indexOf(HEADING + "\n");
        assertThat(heading).as("docs/operations.md has the section " + HEADING).isNotNegative();
        int start = document.indexOf(HEADER, heading);
        assertThat(start).as("the table under " + HEADING).isNotNegative();
        int end = start + HEADER.length();
        while (end < document.length() && document.startsWith("|", end)) {
            end = document.indexOf('\n', end) + 1;
        }
        return document.substring(start, end);
    }

    private static String regenerate(String document, Map<String, Setting> settings) {
        Map<String, Row> rows = rows(document);
        StringBuilder table = new StringBuilder(HEADER);
        for (Setting setting : settings.values()) {
            Row row = rows.get(setting.name());
            table.append("| `").append(setting.name()).append("` | `").append(setting.environmentVariable()).append("` | ")
                    .append(setting.defaultValue() == null ? NO_DEFAULT : "`" + setting.defaultValue() + "`").append(" | ")
                    .append(row == null ? "" : row.meaning()).append(" |\n");
        }
        return document.replace(table(document), table.toString());
    }
}
