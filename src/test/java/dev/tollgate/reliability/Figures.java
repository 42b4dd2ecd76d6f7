package dev.tollgate.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scenario's measured figures. The counts that must be zero: transitions committed but never
 * published ({@code lost}), events without a committed transition ({@code phantom}), effects applied twice
 * ({@code duplicate}), candidates that did not finish ({@code stuck}), and 2xx answers for changes that
 * did not commit ({@code falseSuccess}). {@code notes} holds the scenario's other measurements.
 */
record Figures(String scenario, long trials, long faults, long lost, long phantom, long duplicate, long stuck,
               long falseSuccess, Map<String, Object> notes) {

    boolean clean() {
        return lost == 0 && phantom == 0 && duplicate == 0 && stuck == 0 && falseSuccess == 0
                && notes.entrySet().stream().noneMatch(e -> e.getKey().startsWith("must be 0:")
                && !Long.valueOf(0).equals(((Number) e.getValue()).longValue()));
    }

    String line() {
        StringBuilder out = new StringBuilder("RELIABILITY " + scenario + ": trials=" + trials + " faults=" + faults
                + " lost=" + lost + " phantom=" + phantom + " duplicate=" + duplicate + " stuck=" + stuck
                + " falseSuccess=" + falseSuccess);
        notes.forEach((k, v) -> out.append(' ').append(k.replace("must be 0: ", "").replace(' ', '_')).append('=').append(v));
        return out.toString();
    }

    static Map<String, Object> newNotes() {
        return new LinkedHashMap<>();
    }
}
