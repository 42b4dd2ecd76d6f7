package dev.tollgate.inventory;

/**
 * How far a model or agent acts on its own: {@code NONE} (it informs a person, who acts), {@code SUPERVISED}
 * (it acts, a person reviews or can stop each action) or {@code AUTONOMOUS} (it acts with no person in the loop).
 */
public enum Autonomy { NONE, SUPERVISED, AUTONOMOUS }
