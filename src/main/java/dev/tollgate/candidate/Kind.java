package dev.tollgate.candidate;

public enum Kind {
    MODEL, PROMPT
}
