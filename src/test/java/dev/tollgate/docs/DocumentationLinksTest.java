package dev.tollgate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and in the Markdown files under docs/ leads somewhere in a fresh clone: the
 * file or directory exists, and a {@code #fragment} into a Markdown file names one of its headings (as GitHub
 * makes anchors of them). Links to the web (http, https, mailto or any other scheme) are not followed.
 */
class DocumentationLinksTest {

    private static final Path PROJECT = Path.of(
            System.getProperty("tollgate.project.dir", System.getProperty("user.dir"))).toAbsolutePath().normalize();

    /** {@code [text](target)} and {@code ![alt](target)}, the text possibly over several lines; an optional title. */
    private static final Pattern INLINE_LINK = Pattern.compile(
            "\\[(?:[^\\[\\]]|\\[[^\\[\\]]*\\])*\\]\\(\\s*(<[^>\\n]*>|[^\\s()]+)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    /** {@code [label]: target} */
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile(
            "(?m)^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>\\n]*>|\\S+)");
    /** {@code <img src="...">} and {@code <a href="...">} */
    private static final Pattern HTML_LINK = Pattern.compile(
            "<(?:img|a)\\b[^>]*?\\s(?:src|href)\\s*=\\s*[\"']([^\"']*)[\"']", Pattern.CASE_INSENSITIVE);
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern EXPLICIT_ANCHOR = Pattern.compile(
            "<a\\b[^>]*?\\s(?:name|id)\\s*=\\s*[\"']([^\"']+)[\"']", Pattern.CASE_INSENSITIVE);

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : documents()) {
            String text = withoutCode(Files.readString(file, StandardCharsets.UTF_8));
            for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_DEFINITION, HTML_LINK)) {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    String problem = problem(file, m.group(1));
                    if (problem != null) {
                        broken.add(PROJECT.relativize(file) + ":" + lineOf(text, m.start(1)) + ": " + problem);
                    }
                }
            }
        }
        assertThat(broken).as("broken links in the documentation").isEmpty();
    }

    @Test
    void theCheckerFindsWhatItShould() {
        assertThat(slug("Identity and access")).isEqualTo("identity-and-access");
        assertThat(slug("Behind a TLS-terminating proxy")).isEqualTo("behind-a-tls-terminating-proxy");
        assertThat(slug("`tollgate.audit`: checkpoints (v2)")).isEqualTo("tollgateaudit-checkpoints-v2");
        assertThat(slug("See [the API](api.md) & more_stuff")).isEqualTo("see-the-api--more_stuff");
        String text = withoutCode("a [x](one.md)\n```\n[y](two.md)\n```\nand `[z](three.md)` and [w](\nfour.md#a)\n");
        List<String> targets = new ArrayList<>();
        Matcher m = INLINE_LINK.matcher(text);
        while (m.find()) {
            targets.add(m.group(1) + "@" + lineOf(text, m.start(1)));
        }
        assertThat(targets).containsExactly("one.md@1", "four.md#a@6");
    }

    private static List<Path> documents() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(PROJECT.resolve("README.md"));
        try (Stream<Path> walk = Files.walk(PROJECT.resolve("docs"))) {
            walk.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** What is wrong with a link from {@code file}, or null when it resolves or leaves the repository for the web. */
    private String problem(Path file, String rawTarget) throws IOException {
        String target = rawTarget.startsWith("<") && rawTarget.endsWith(">")
                ? rawTarget.substring(1, rawTarget.length() - 1).trim() : rawTarget;
        if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = decode(hash < 0 ? target : target.substring(0, hash));
        String fragment = hash < 0 ? null : decode(target.substring(hash + 1));
        int query = pathPart.indexOf('?');
        if (query >= 0) {
            pathPart = pathPart.substring(0, query);
        }
        Path resolved;
        if (pathPart.isEmpty()) {
            resolved = file;
        } else if (pathPart.startsWith("/")) {
            resolved = PROJECT.resolve(pathPart.substring(1)).normalize();
        } else {
            resolved = file.getParent().resolve(pathPart).normalize();
        }
        if (!resolved.startsWith(PROJECT)) {
            return rawTarget + " points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return rawTarget + " does not exist (" + PROJECT.relativize(resolved) + ")";
        }
        if (fragment != null && !fragment.isEmpty() && Files.isRegularFile(resolved)
                && resolved.getFileName().toString().endsWith(".md")
                && !anchorsOf(resolved).contains(fragment)) {
            return rawTarget + " names no heading of " + PROJECT.relativize(resolved);
        }
        return null;
    }

    private Set<String> anchorsOf(Path markdown) throws IOException {
        Set<String> found = anchors.get(markdown);
        if (found != null) {
            return found;
        }
        found = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        String text = Files.readString(markdown, StandardCharsets.UTF_8);
        for (String line : withoutFencedBlocks(text).split("\n", -1)) {
            Matcher heading = ATX_HEADING.matcher(line);
            if (heading.matches()) {
                String base = slug(heading.group(1) == null ? "" : heading.group(1));
                int n = seen.merge(base, 1, Integer::sum) - 1;
                found.add(n == 0 ? base : base + "-" + n);
            }
            Matcher explicit = EXPLICIT_ANCHOR.matcher(line);
            while (explicit.find()) {
                found.add(explicit.group(1));
            }
        }
        anchors.put(markdown, found);
        return found;
    }

    /**
     * GitHub's anchor for a heading: its visible text lower-cased, everything but letters, digits, spaces, '-' and
     * '_' dropped, and each space turned into '-'.
     */
    static String slug(String heading) {
        String visible = heading
                .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link shows its text
                .replaceAll("<[^>]+>", ""); // inline HTML shows nothing of its tags
        return visible.strip().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
                .replace(' ', '-');
    }

    /** The text with code blocks and code spans blanked out, keeping every line break where it was. */
    static String withoutCode(String text) {
        String blocks = withoutFencedBlocks(text);
        StringBuilder out = new StringBuilder(blocks.length());
        Matcher span = Pattern.compile("(`+)(?:(?!\\1)[\\s\\S])*?\\1").matcher(blocks);
        int last = 0;
        while (span.find()) {
            out.append(blocks, last, span.start());
            out.append(span.group().replaceAll("[^\\n]", " "));
            last = span.end();
        }
        return out.append(blocks.substring(last)).toString();
    }

    private static String withoutFencedBlocks(String text) {
        StringBuilder out = new StringBuilder(text.length());
        String fence = null;
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            String trimmed = line.stripLeading();
            if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                fence = trimmed.substring(0, 3);
                out.append('\n');
            } else if (fence != null) {
                if (trimmed.startsWith(fence)) {
                    fence = null;
                }
                out.append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.substring(0, out.length() - 1);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
