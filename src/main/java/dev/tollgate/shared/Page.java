package dev.tollgate.shared;

import java.util.List;

/** A page of a keyset-paged list; {@code next} is absent on the last page. */
public record Page<T>(List<T> items, String next) {
}
