package dev.tollgate.architecture.cycle.right;

import dev.tollgate.architecture.cycle.left.Left;

/** The other half of a deliberate package cycle: the architecture test must catch it. */
public class Right {
    public Left partner() {
        return new Left();
    }
}
