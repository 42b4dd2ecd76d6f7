package dev.tollgate.testing;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The application's REST endpoints as (HTTP method, path template), read by reflection from the JAX-RS
 * annotations, whatever the resource classes are called or where they live. The classes looked at are the
 * compiled classes under {@code dev.tollgate} on the class path and every CDI bean: Quarkus REST makes each
 * resource class a bean, which also brings in the resources KIE generates at build time (they exist only in
 * memory, so no directory walk finds them). Quarkus' own routes ({@code /q/...}) are not JAX-RS and never appear.
 */
public final class ResourceModel {

    /** One endpoint: {@code GET /api/v1/candidates/{id}}. Path parameters keep their names, without regexes. */
    public record Endpoint(String method, String template) implements Comparable<Endpoint> {

        @Override
        public int compareTo(Endpoint other) {
            int byPath = template.compareTo(other.template);
            return byPath != 0 ? byPath : method.compareTo(other.method);
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private static final String ROOT_PACKAGE = "dev.tollgate";

    private ResourceModel() {
    }

    /** Every endpoint of the running application; a construct this reading cannot follow fails instead of hiding. */
    public static SortedSet<Endpoint> endpoints(BeanManager beans) {
        Set<Class<?>> classes = new HashSet<>(compiledClasses(ROOT_PACKAGE));
        beans.getBeans(Object.class, Any.Literal.INSTANCE).forEach(bean -> classes.add(bean.getBeanClass()));
        String root = template(config("quarkus.http.root-path"), applicationPath(classes));
        SortedSet<Endpoint> endpoints = new TreeSet<>();
        for (Class<?> type : classes) {
            Path classPath = classPath(type);
            if (classPath == null || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                continue;
            }
            for (Method method : type.getMethods()) {
                if (method.isBridge() || method.isSynthetic()) {
                    continue;
                }
                Method declared = annotatedDeclaration(type, method);
                String http = httpMethod(declared);
                Path methodPath = declared.getAnnotation(Path.class);
                if (http == null && methodPath != null) {
                    throw new IllegalStateException(type.getName() + "." + method.getName()
                            + " is a sub-resource locator; list its endpoints by following the type it returns");
                }
                if (http != null) {
                    endpoints.add(new Endpoint(http, template(root, classPath.value(),
                            methodPath == null ? null : methodPath.value())));
                }
            }
        }
        return endpoints;
    }

    /** {@code /a/} + {@code b} + {@code {id: [0-9]+}} is {@code /a/b/{id}}. */
    static String template(String... parts) {
        StringBuilder template = new StringBuilder();
        for (String part : parts) {
            if (part == null) {
                continue;
            }
            for (String segment : part.replaceAll("\\{\\s*([^:}\\s]+)\\s*:[^}]*}", "{$1}").split("/")) {
                if (!segment.isEmpty()) {
                    template.append('/').append(segment);
                }
            }
        }
        return template.isEmpty() ? "/" : template.toString();
    }

    /** The class's {@code @Path}, or that of a superclass or interface it implements (JAX-RS annotation inheritance). */
    private static Path classPath(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.isAnnotationPresent(Path.class)) {
                return c.getAnnotation(Path.class);
            }
            for (Class<?> implemented : c.getInterfaces()) {
                if (implemented.isAnnotationPresent(Path.class)) {
                    return implemented.getAnnotation(Path.class);
                }
            }
        }
        return null;
    }

    /** The method itself if it carries JAX-RS annotations, else the one it overrides that does. */
    private static Method annotatedDeclaration(Class<?> type, Method method) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(c);
            Collections.addAll(hierarchy, c.getInterfaces());
        }
        for (Class<?> c : hierarchy) {
            try {
                Method candidate = c.getDeclaredMethod(method.getName(), method.getParameterTypes());
                if (httpMethod(candidate) != null || candidate.isAnnotationPresent(Path.class)) {
                    return candidate;
                }
            } catch (NoSuchMethodException notDeclaredHere) {
                // keep looking up the hierarchy
            }
        }
        return method;
    }

    /** GET, POST, ... : any annotation that is itself annotated with {@code @HttpMethod}. */
    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String applicationPath(Set<Class<?>> classes) {
        List<String> paths = classes.stream()
                .filter(c -> Application.class.isAssignableFrom(c) && c.isAnnotationPresent(ApplicationPath.class))
                .map(c -> c.getAnnotation(ApplicationPath.class).value()).distinct().toList();
        if (paths.size() > 1) {
            throw new IllegalStateException("More than one @ApplicationPath: " + paths);
        }
        return paths.isEmpty() ? config("quarkus.rest.path") : paths.get(0);
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse("/");
    }

    /** The classes of a package and its subpackages, from every directory and jar of the class path that has them. */
    private static List<Class<?>> compiledClasses(String rootPackage) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String folder = rootPackage.replace('.', '/') + "/";
        List<String> names = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(folder))) {
                switch (url.getProtocol()) {
                    case "file" -> {
                        java.nio.file.Path base = Paths.get(url.toURI());
                        try (Stream<java.nio.file.Path> files = Files.walk(base)) {
                            files.map(base::relativize).map(p -> folder + p.toString().replace('\\', '/'))
                                    .forEach(names::add);
                        }
                    }
                    case "jar" -> ((JarURLConnection) url.openConnection()).getJarFile().stream()
                            .map(java.util.zip.ZipEntry::getName).filter(n -> n.startsWith(folder)).forEach(names::add);
                    default -> throw new IllegalStateException("Cannot list the classes at " + url);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            if (name.endsWith(".class") && !name.endsWith("module-info.class") && !name.endsWith("package-info.class")) {
                String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try {
                    classes.add(Class.forName(className, false, loader));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("Cannot load " + className + " to look for endpoints", e);
                }
            }
        }
        return classes;
    }
}
