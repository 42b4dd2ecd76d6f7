package dev.tollgate.events;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The W3C trace context carried into and out of CloudEvents, as the CloudEvents distributed-tracing extension
 * ({@code traceparent}, {@code tracestate}; {@code ce_traceparent} on Kafka): an event is written with the context
 * of the change that caused it, and a record that arrives with one is applied in a span of that trace, so that a
 * deployer's span joins the approval's trace and Tollgate's next events join the deployer's. With tracing switched
 * off ({@code quarkus.otel.sdk.disabled}) no span exists and events carry no context.
 */
@ApplicationScoped
public class TraceContext {

    /** A context as the extension carries it; both null when there is none. */
    public record Carried(String traceparent, String tracestate) {
        public static final Carried NONE = new Carried(null, null);
    }

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    TraceContext(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The context of the current span, to write with an event. */
    public Carried current() {
        if (!Span.current().getSpanContext().isValid()) {
            return Carried.NONE;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.current(), carrier, Map::put);
        String state = truncated(carrier.get("tracestate"));
        return new Carried(carrier.get("traceparent"), state == null || state.isEmpty() ? null : state);
    }

    /** The longest tracestate an event stores (the outbox column); W3C asks to keep at least 512 characters. */
    static final int MAX_TRACESTATE = 512;

    /**
     * A tracestate cut to {@link #MAX_TRACESTATE} characters as W3C Trace Context describes: entries longer than 128
     * characters go first, then entries from the end (the oldest), until the rest fits.
     */
    static String truncated(String state) {
        if (state == null || state.length() <= MAX_TRACESTATE) {
            return state;
        }
        List<String> entries = new ArrayList<>();
        for (String entry : state.split(",")) {
            String trimmed = entry.strip();
            if (!trimmed.isEmpty() && trimmed.length() <= 128) {
                entries.add(trimmed);
            }
        }
        while (!entries.isEmpty() && String.join(",", entries).length() > MAX_TRACESTATE) {
            entries.remove(entries.size() - 1);
        }
        return entries.isEmpty() ? null : String.join(",", entries);
    }

    /**
     * Runs {@code work} in a consumer span named {@code name} whose parent is the context a record carried (none: a
     * span of its own trace).
     */
    public <T> T consume(String name, Carried carried, Supplier<T> work) {
        Map<String, String> carrier = new HashMap<>();
        if (carried.traceparent() != null) {
            carrier.put("traceparent", carried.traceparent());
        }
        if (carried.tracestate() != null) {
            carrier.put("tracestate", carried.tracestate());
        }
        Context parent = W3C.extract(Context.root(), carrier, FROM_MAP);
        Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CONSUMER).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }
}
