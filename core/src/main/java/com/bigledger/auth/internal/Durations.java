package com.bigledger.auth.internal;

import java.time.Duration;

/** Writes durations for people, as {@code 10s}, {@code 1.5s}, {@code 250ms} or {@code 2m30s}, not {@code PT10S}. */
public final class Durations {

    private Durations() {
    }

    /**
     * Formats a duration as its options are written ({@code --timeout=10s}).
     *
     * @param duration the duration
     * @return the duration in hours, minutes, seconds (with a fraction if any) or, below a second, milliseconds
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            long millis = duration.toMillis();
            return millis > 0 || duration.isZero() ? millis + "ms" : duration.toNanos() + "ns";
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        int seconds = duration.toSecondsPart();
        int millis = duration.toMillisPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0 || millis > 0) {
            text.append(seconds);
            if (millis > 0) {
                text.append('.').append(String.format("%03d", millis).replaceAll("0+$", ""));
            }
            text.append('s');
        }
        return text.toString();
    }
}
