package dev.tollgate.shared;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A daemon thread that runs one step, pauses, and runs it again until stopped. A step that fails is
 * logged and tried again after the next pause: a background duty must outlive a passing fault (the
 * database restarting, the broker away).
 */
public final class BackgroundLoop {

    private final String name;
    private final Duration pause;
    private final Runnable step;
    private final Logger log;
    private volatile boolean running;
    private Thread thread;

    public BackgroundLoop(String name, Duration pause, Runnable step, Logger log) {
        this.name = name;
        this.pause = pause;
        this.step = step;
        this.log = log;
    }

    public void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(pause.toMillis());
                    step.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    log.warnf(e, "%s failed; trying again in %d ms", name, pause.toMillis());
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop and waits (up to 5 s) for a step under way to end. */
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
