package dev.tollgate.architecture.cycle.left;

import dev.tollgate.architecture.cycle.right.Right;

/** Half of a deliberate package cycle: the architecture test must catch it. */
public class Left {
    public Right partner() {
        return new Right();
    }
}
